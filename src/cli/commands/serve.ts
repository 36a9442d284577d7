import type { Command } from "commander";
import { syncIndex } from "../../../ingest/sync.js";
import { createEmbedder } from "../../embed/create-embedder.js";
import { KkrError } from "../../errors.js";
import { healthRoutes, type ReadinessState, readinessCheck, startHealthServer } from "../../health/health.js";
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
        // A reader replica (KKR_ROLE=reader) serves the index a writer job fills: it never
        // creates, syncs or watches anything.
        const reader = c.config.store.role === "reader";
        // A schedule without a usable sources file is a setup mistake: say so now, not in 6 hours.
        if (!reader && c.config.sync.intervalMs !== null) await loadSources(c.config.sync.sourcesPath);
        const embedder = await createEmbedder(c.config, { logger: log });
        const writer = reader
          ? null
          : await KkrStore.open(c.config.db, { create: true, store: c.config.store });
        // --watch meeting another ingest's lock says so once (state), not on every round
        const syncOptions = { prune: opts.prune ?? false, state: { lockReported: false } };
        if (writer && opts.sync) await syncIndex(c.config, writer, embedder, log, syncOptions);
        if (writer && (await writer.counts()).documents === 0) {
          writer.close();
          throw emptyIndex(c);
        }
        // one connection (and one set of LanceDB caches) for answering and syncing
        const kkr = await Kkr.open(c.config, { logger: log, ...(writer ? { store: writer } : {}) });
        if (reader && (await kkr.store.countDocuments()) === 0) {
          await kkr.close();
          throw emptyIndex(c);
        }
        // The folder watch, the web sync (KKR_SYNC_INTERVAL) and announcements take turns.
        const serial = new Serial();
        const webSync = startBotSync({
          config: reader ? { ...c.config, sync: { ...c.config.sync, intervalMs: null } } : c.config,
          store: writer ?? kkr.store,
          embedder,
          serial,
          logger: log,
        });

        let timer: NodeJS.Timeout | null = null;
        if (opts.watch && writer) {
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
        const state: ReadinessState = { slack: slackConfigured(c) ? false : null, stopping: false };
        const check = readinessCheck(() => kkr.store.countDocuments(), state);
        const socketMode = Boolean(c.config.slack.appToken);
        // HTTP mode serves the checks on PORT beside /slack/events; otherwise HEALTH_PORT.
        const health =
          c.config.healthPort !== undefined && (!slackConfigured(c) || socketMode)
            ? await startHealthServer(c.config.healthPort, check)
            : null;
        if (health) log.info({ port: health.port }, "health checks on /healthz and /readyz");
        const shutdown = async () => {
          state.stopping = true;
          if (timer) clearInterval(timer);
          await webSync?.stop();
          await health?.close();
          await kkr.close();
          writer?.close();
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
            // not ready at once, so the platform stops routing here; answers in flight
            // get up to KKR_SHUTDOWN_TIMEOUT_MS
            state.stopping = true;
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
            stopGraceMs: c.config.shutdownTimeoutMs,
            customRoutes: healthRoutes(check),
            // a token revoked while running: stop cleanly and exit non-zero with the reason
            onFatal: (err) => {
              state.slack = false;
              void (async () => {
                await bot?.stop().catch(() => {});
                await shutdown();
                reject(err);
              })();
            },
          }).then(
            (b) => {
              bot = b;
              state.slack = true;
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

function emptyIndex(c: CliContext): KkrError {
  return c.config.store.role === "reader"
    ? new KkrError(
        "INDEX_EMPTY",
        `No documents are indexed at ${c.config.db} yet. This replica is a reader (KKR_ROLE=reader): run the writer job (\`kkr sync\` or \`kkr ingest\` with KKR_ROLE=writer) first.`,
      )
    : new KkrError(
        "INDEX_EMPTY",
        `No documents are indexed yet. Put PDF, text, markdown or HTML files in ${c.config.docsDir} ` +
          "(or set KKR_DOCS_DIR to your folder) and run `npm start` again, or run `kkr ingest DIR`.",
      );
}
