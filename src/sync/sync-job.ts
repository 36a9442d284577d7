/**
 * One whole sync as `kkr sync` and the bot's schedule run it: under the ingest lock, bring
 * the documents folder in line with the web sources, run the incremental ingest, and queue
 * the new documents for announcement when an announcement channel is configured.
 */
import { mkdir } from "node:fs/promises";
import type { IngestProgress } from "../../ingest/pipeline.js";
import { runIngest } from "../../ingest/pipeline.js";
import type { Config } from "../config.js";
import type { Embedder } from "../embed/embedder.js";
import { type Logger, silentLogger } from "../logger.js";
import { acquireIngestLock } from "../store/lock.js";
import type { KkrStore } from "../store/store.js";
import { AnnouncementQueue, queueDirFor } from "./announce-queue.js";
import type { IndexedMeta } from "./announcer.js";
import type { Sleep } from "./host-gate.js";
import type { SyncReport } from "./report.js";
import { loadSources, selectSources } from "./sources.js";
import { type SyncProgress, syncSources } from "./sync.js";

export interface SyncJobOptions {
  config: Config;
  store: KkrStore;
  embedder: Embedder;
  /** --source NAME */
  source?: string;
  dryRun?: boolean;
  prune?: boolean;
  logger?: Logger;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  onIngestProgress?: (p: IngestProgress) => void;
  /** Injected for tests. */
  fetch?: typeof fetch;
  sleep?: Sleep;
  now?: () => Date;
  retryBaseMs?: number;
}

/** The folder the index is kept in line with (as the bot's startup sync picks it). */
export async function documentsFolder(config: Config, store: KkrStore): Promise<string> {
  if (config.docsDirExplicit) return config.docsDir;
  return (await store.readMeta())?.docsDir ?? config.docsDir;
}

export async function runSyncJob(options: SyncJobOptions): Promise<SyncReport> {
  const { config, store } = options;
  const log = options.logger ?? silentLogger;
  const sources = selectSources(await loadSources(config.sync.sourcesPath), options.source);
  const docsDir = await documentsFolder(config, store);
  if (!config.sync.userAgentConfigured) {
    log.warn(
      'sync: set KKR_SYNC_USER_AGENT to name a contact, e.g. "kkr-bot/0.1 (+mailto:it@kommune.dk)", so site owners can reach you',
    );
  }
  const syncOptions = {
    sources,
    docsDir,
    config: config.sync,
    maxFileBytes: config.maxFileBytes,
    dryRun: options.dryRun ?? false,
    prune: options.prune ?? false,
    logger: log,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
  };
  if (options.dryRun) return syncSources(syncOptions);

  const lock = store.localDir ? acquireIngestLock(store.localDir, options.now) : null;
  try {
    await mkdir(docsDir, { recursive: true });
    const report = await syncSources(syncOptions);
    report.ingest = await runIngest(store, options.embedder, {
      dir: docsDir,
      maxFileBytes: config.maxFileBytes,
      parseTimeoutMs: config.parseTimeoutMs,
      pdfMaxMemoryMb: config.pdfMaxMemoryMb,
      pruneMaxShare: config.pruneMaxShare,
      // --prune removed files on purpose; without it the ingest's guard still applies
      prune: options.prune ?? false,
      logger: log,
      lockHeld: true,
      ...(options.now ? { now: options.now } : {}),
      ...(options.onIngestProgress ? { onProgress: options.onIngestProgress } : {}),
    });
    if (config.sync.announceChannel)
      await queueNewDocuments(report, docsDir, options.now ?? (() => new Date()), log);
    return report;
  } finally {
    lock?.release();
  }
}

/** New documents of sources synced before (a first sync is the starting point, not news). */
async function queueNewDocuments(report: SyncReport, docsDir: string, now: () => Date, log: Logger) {
  const baseline = new Set(report.sources.filter((s) => s.baseline).map((s) => s.name));
  const fresh = report.documents.filter((d) => d.status === "new" && d.sidecar && !baseline.has(d.source));
  const queued = await new AnnouncementQueue(queueDirFor(docsDir)).enqueue(
    fresh.map((d) => {
      const s = d.sidecar!;
      return {
        url: d.url,
        file: d.file,
        source: d.source,
        linkText: s.sync.linkText,
        role: s.sync.role,
        context: s.sync.context,
        region: s.region ?? null,
        kind: s.kind ?? null,
        meetingDate: s.meetingDate ?? null,
        queuedAt: now().toISOString(),
      };
    }),
  );
  if (queued > 0) log.info({ queued }, "sync: new documents queued for announcement");
}

/** Index metadata of documents by their path in the documents folder (for announcements). */
export function indexLookup(store: KkrStore) {
  return async (files: string[]): Promise<Map<string, IndexedMeta>> => {
    const wanted = new Set(files);
    const out = new Map<string, IndexedMeta>();
    for (const d of await store.listDocuments()) {
      if (!wanted.has(d.source)) continue;
      out.set(d.source, { title: d.title, kind: d.kind, region: d.region, meetingDate: d.meetingDate });
    }
    return out;
  };
}
