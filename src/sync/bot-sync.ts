/**
 * The web sync inside `kkr serve`: the sync job on KKR_SYNC_INTERVAL, and announcements
 * of new documents in KKR_ANNOUNCE_CHANNEL once Slack is connected (also of documents a
 * separate `kkr sync` queued). Everything that writes runs through one Serial, so the
 * folder watch, the sync and the announcer never overlap.
 */
import type { Config } from "../config.js";
import type { Embedder } from "../embed/embedder.js";
import { describeError } from "../errors.js";
import { type Logger, silentLogger } from "../logger.js";
import type { KkrStore } from "../store/store.js";
import { AnnouncementQueue, queueDirFor } from "./announce-queue.js";
import { type Announcement, Announcer } from "./announcer.js";
import type { Sleep } from "./host-gate.js";
import { type Schedule, startSchedule } from "./schedule.js";
import type { Serial } from "./serial.js";
import { documentsFolder, indexLookup, runSyncJob } from "./sync-job.js";

export type Publish = (announcement: Announcement) => Promise<void>;

export interface BotSyncOptions {
  config: Config;
  store: KkrStore;
  embedder: Embedder;
  serial: Serial;
  logger?: Logger;
  /** How often queued announcements are looked for. Default 1 min. */
  pollMs?: number;
  /** Injected for tests. */
  fetch?: typeof fetch;
  sleep?: Sleep;
  retryBaseMs?: number;
}

export interface BotSync {
  /** Where announcements go (set once Slack is connected); until then they wait in the queue. */
  setPublisher(publish: Publish | null): Promise<void>;
  /** Runs a sync now (unless one is running) and announces what it found. */
  syncNow(): Promise<void>;
  /** Announces what is queued. */
  announceNow(): Promise<number>;
  stop(): Promise<void>;
}

export function startBotSync(options: BotSyncOptions): BotSync | null {
  const { config, store, serial } = options;
  const log = (options.logger ?? silentLogger).child({ component: "web-sync" });
  const { intervalMs, announceChannel } = config.sync;
  if (intervalMs === null && announceChannel === null) return null;

  let publish: Publish | null = null;
  let announcer: Announcer | null = null;
  let queue: AnnouncementQueue | null = null;
  const announcerFor = async () => {
    if (!announcer) {
      queue = new AnnouncementQueue(queueDirFor(await documentsFolder(config, store)));
      const recovered = await queue.recover();
      if (recovered > 0) log.warn({ recovered }, "announcements interrupted by a restart are not repeated");
      announcer = new Announcer({
        queue,
        publish: (a) => (publish ? publish(a) : Promise.reject(new Error("Slack is not connected"))),
        lookup: indexLookup(store),
        logger: log,
      });
    }
    return announcer;
  };

  const announceNow = () =>
    serial.run(async () => {
      if (!publish || !announceChannel) return 0;
      return (await announcerFor()).flush();
    });

  const sync = async (signal: AbortSignal) => {
    const report = await serial.run(() =>
      runSyncJob({
        config,
        store,
        embedder: options.embedder,
        logger: log,
        signal,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
        ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
      }),
    );
    log.info(
      {
        pages: report.pages,
        new: report.documents.filter((d) => d.status === "new").length,
        changed: report.documents.filter((d) => d.status === "changed").length,
        failed: report.failed.length,
        chunksEmbedded: report.ingest?.chunksEmbedded ?? 0,
      },
      "web sync done",
    );
    await announceNow();
  };

  const schedule: Schedule | null =
    intervalMs === null ? null : startSchedule({ intervalMs, run: sync, logger: log, firstDelayMs: 1_000 });
  const poll = announceChannel
    ? setInterval(() => {
        announceNow().catch((error: unknown) => log.warn({ err: describeError(error) }, "announce failed"));
      }, options.pollMs ?? 60_000)
    : null;
  poll?.unref();
  if (intervalMs !== null) log.info({ everyMs: intervalMs }, "web sync scheduled");

  return {
    async setPublisher(next) {
      publish = next;
      if (next)
        await announceNow().catch((error: unknown) =>
          log.warn({ err: describeError(error) }, "announce failed"),
        );
    },
    async syncNow() {
      if (schedule) await schedule.runNow();
      else await sync(new AbortController().signal);
    },
    announceNow,
    async stop() {
      if (poll) clearInterval(poll);
      await schedule?.stop();
    },
  };
}
