import type { Command } from "commander";
import { syncIndex } from "../../../ingest/sync.js";
import { createEmbedder } from "../../embed/create-embedder.js";
import { KkrError } from "../../errors.js";
import { Kkr } from "../../kkr.js";
import { KkrStore } from "../../store/store.js";
import { startBotSync } from "../../sync/bot-sync.js";
import { Serial } from "../../sync/serial.js";
import { loadSources } from "../../sync/sources.js";
import { runConsoleChat } from "../console-chat.js";
import type { CliContext } from "../context.js";

export function slackConfigured(c: CliContext): boolean {
  const s = c.config.slack;
  return Boolean(s.botToken && (s.appToken || s.signingSecret));
}

export function registerServe(program: Command, ctx: (opts: { db?: string }) => CliContext) {
  program
    .command("serve", { isDefault: false })
    .description(
      "sync the index with KKR_DOCS_DIR, then run the Slack bot (or a local console chat without Slack)",
    )
    .option("--db <uri>", "LanceDB path or URI (overrides KKR_DB)")
    .option("--watch", "keep picking up new and changed files while running")
    .option("--watch-interval <seconds>", "how often --watch rescans the folder", "15")
    .option("--no-sync", "serve the index as it is, without syncing first")
    .option(
      "--prune",
      "let the sync remove more than KKR_PRUNE_MAX_SHARE of the index (files deleted on purpose)",
    )
    .action(
      async (opts: {
        db?: string;
        watch?: boolean;
        watchInterval: string;
        sync: boolean;
        prune?: boolean;
      }) => {
        const c = ctx({ db: opts.db });
        const log = c.logger;
        // A schedule without a usable sources file is a setup mistake: say so now, not in 6 hours.
        if (c.config.sync.intervalMs !== null) await loadSources(c.config.sync.sourcesPath);
        const embedder = await createEmbedder(c.config, { logger: log });
        const writer = await KkrStore.open(c.config.db, { create: true });
        // --watch meeting another ingest's lock says so once (state), not on every round
        const syncOptions = { prune: opts.prune ?? false, state: { lockReported: false } };
        if (opts.sync) await syncIndex(c.config, writer, embedder, log, syncOptions);
        if ((await writer.counts()).documents === 0) {
          writer.close();
          throw new KkrError(
            "INDEX_EMPTY",
            `No documents are indexed yet. Put PDF, text, markdown or HTML files in ${c.config.docsDir} ` +
              "(or set KKR_DOCS_DIR to your folder) and run `npm start` again, or run `kkr ingest DIR`.",
          );
        }
        // one connection (and one set of LanceDB caches) for answering and syncing
        const kkr = await Kkr.open(c.config, { logger: log, store: writer });
        // The folder watch, the web sync (KKR_SYNC_INTERVAL) and announcements take turns.
        const serial = new Serial();
        const webSync = startBotSync({ config: c.config, store: writer, embedder, serial, logger: log });

        let timer: NodeJS.Timeout | null = null;
        if (opts.watch) {
          const every = Math.max(2, Number(opts.watchInterval) || 15) * 1000;
          let running = false;
          timer = setInterval(async () => {
            if (running) return;
            running = true;
            await serial
              .run(() => syncIndex(c.config, writer, embedder, log, syncOptions))
              .finally(() => {
                running = false;
              });
          }, every);
          timer.unref();
        }
        const shutdown = async () => {
          if (timer) clearInterval(timer);
          await webSync?.stop();
          await kkr.close();
          writer.close();
        };

        if (!slackConfigured(c)) {
          log.info(
            "Slack is not configured (SLACK_BOT_TOKEN + SLACK_APP_TOKEN or SLACK_SIGNING_SECRET): local console chat",
          );
          await runConsoleChat(kkr, {
            input: process.stdin,
            output: process.stdout,
            interactive: Boolean(process.stdin.isTTY),
          });
          await shutdown();
          return;
        }
        const { startSlackBot } = await import("../../slack/app.js");
        await new Promise<void>((resolve, reject) => {
          let bot: Awaited<ReturnType<typeof startSlackBot>> | null = null;
          const stop = async (signal: string) => {
            log.info({ signal }, "shutting down");
            await bot?.stop().catch(() => {});
            await shutdown();
            resolve();
          };
          process.once("SIGTERM", () => void stop("SIGTERM"));
          process.once("SIGINT", () => void stop("SIGINT"));
          startSlackBot({
            config: c.config,
            service: kkr,
            logger: log,
            // a token revoked while running: stop cleanly and exit non-zero with the reason
            onFatal: (err) => {
              void (async () => {
                await bot?.stop().catch(() => {});
                await shutdown();
                reject(err);
              })();
            },
          }).then(
            (b) => {
              bot = b;
              log.info({ mode: b.mode }, "kkr-bot is connected to Slack");
              const channel = c.config.sync.announceChannel;
              if (webSync && channel) {
                void import("../../slack/announce.js").then(({ postAnnouncement }) =>
                  webSync.setPublisher((a) => postAnnouncement(b.client, channel, a)),
                );
              }
            },
            async (err: unknown) => {
              await shutdown();
              reject(err);
            },
          );
        });
      },
    );
}
