/**
 * Keeps `docsDir/<source>/` in line with each configured web source: crawl, then fetch new
 * and changed documents (conditionally) with their sidecars, report what disappeared and
 * prune it when asked. Ingest is not run here (sync-job.ts does, under the ingest lock).
 */
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describeError } from "../errors.js";
import { type Logger, silentLogger } from "../logger.js";
import { crawlSource, type FoundDocument } from "./crawler.js";
import { downloadDocument } from "./downloader.js";
import { Fetcher } from "./fetcher.js";
import { disambiguate, localNameFor } from "./file-names.js";
import type { Sleep } from "./host-gate.js";
import type { DocumentReport, SourceReport, SyncReport } from "./report.js";
import { RobotsCache } from "./robots.js";
import { SourceScope } from "./scope.js";
import type { Source } from "./sources.js";
import type { SyncConfig } from "./sync-config.js";
import { type LocalDocument, readLocalDocuments, sidecarPathFor } from "./sync-sidecar.js";

export interface SyncProgress {
  phase: "crawl" | "download" | "done";
  source: string;
  pages: number;
  done: number;
  total: number;
}

export interface SyncOptions {
  sources: Source[];
  docsDir: string;
  config: Pick<SyncConfig, "userAgent" | "delayMs" | "timeoutMs" | "retries">;
  maxFileBytes: number;
  dryRun?: boolean;
  prune?: boolean;
  logger?: Logger;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  /** Injected for tests: HTTP client, sleep (delays, backoff), clock, first backoff step. */
  fetch?: typeof fetch;
  sleep?: Sleep;
  now?: () => Date;
  retryBaseMs?: number;
}

/** Pages larger than this are not crawled (documents have KKR_MAX_FILE_MB). */
const MAX_PAGE_BYTES = 10 * 1024 * 1024;

export async function syncSources(options: SyncOptions): Promise<SyncReport> {
  const started = Date.now();
  const log = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const fetcher = new Fetcher({
    userAgent: options.config.userAgent,
    timeoutMs: options.config.timeoutMs,
    retries: options.config.retries,
    logger: log,
    now: () => now().getTime(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
  });
  const robots = new RobotsCache(fetcher, options.config.delayMs, options.signal);
  const report: SyncReport = {
    dryRun: options.dryRun ?? false,
    pages: 0,
    documents: [],
    failed: [],
    gone: [],
    pruned: [],
    sources: [],
    ingest: null,
    durationMs: 0,
  };
  for (const source of options.sources) {
    options.signal?.throwIfAborted();
    report.sources.push(await syncOne(source, { ...options, now, log, fetcher, robots, report }));
  }
  report.pages = report.sources.reduce((n, s) => n + s.pages, 0);
  report.durationMs = Date.now() - started;
  options.onProgress?.({ phase: "done", source: "", pages: report.pages, done: 0, total: 0 });
  return report;
}

interface SourceRun extends SyncOptions {
  now: () => Date;
  log: Logger;
  fetcher: Fetcher;
  robots: RobotsCache;
  report: SyncReport;
}

async function syncOne(source: Source, run: SourceRun): Promise<SourceReport> {
  const { fetcher, robots, report, log } = run;
  const scope = new SourceScope(source);
  const folder = resolve(run.docsDir, source.name);
  const local = await readLocalDocuments(folder);
  const baseDelay = source.delayMs ?? run.config.delayMs;
  const delayMs = async (url: URL) => Math.max(baseDelay, await robots.crawlDelayMs(url));
  const allow = async (url: URL) =>
    scope.onHost(url) ? robots.check(url) : `off the source's hosts (${[...scope.hosts].join(", ")})`;
  const progress = (phase: SyncProgress["phase"], pages: number, done: number, total: number) =>
    run.onProgress?.({ phase, source: source.name, pages, done, total });

  const crawl = await crawlSource({
    fetcher,
    robots,
    scope,
    delayMs,
    maxPageBytes: MAX_PAGE_BYTES,
    logger: log,
    onPage: (pages, queued) => progress("crawl", pages, pages, pages + queued),
    ...(run.signal ? { signal: run.signal } : {}),
  });
  for (const f of crawl.failed) report.failed.push({ source: source.name, ...f });
  log.info(
    { source: source.name, pages: crawl.pages, documents: crawl.documents.length, complete: crawl.complete },
    "sync: crawled",
  );

  const names = nameAssigner(local, scope);
  const rel = (file: string) => `${source.name}/${file}`;
  let done = 0;
  for (const doc of crawl.documents) {
    run.signal?.throwIfAborted();
    const previous = local.get(doc.url);
    const file = names(doc, previous);
    const entry: DocumentReport = { source: source.name, url: doc.url, file: rel(file), status: "known" };
    if (run.dryRun) {
      entry.status = previous ? "known" : "new";
    } else {
      const outcome = await downloadDocument(doc, previous, file, {
        fetcher,
        allow,
        delayMs,
        folder,
        source: { name: source.name, region: source.region },
        maxBytes: run.maxFileBytes,
        now: run.now,
        ...(run.signal ? { signal: run.signal } : {}),
      });
      entry.status = outcome.status;
      if (outcome.reason) entry.reason = outcome.reason;
      if (outcome.sidecar) entry.sidecar = outcome.sidecar;
      if (outcome.status === "failed") {
        report.failed.push({ source: source.name, url: doc.url, reason: outcome.reason ?? "failed" });
        log.warn({ source: source.name, url: doc.url, reason: outcome.reason }, "sync: document not fetched");
      }
    }
    report.documents.push(entry);
    progress("download", crawl.pages, ++done, crawl.documents.length);
  }

  await handleGone(source, folder, local, crawl, run);
  return { name: source.name, pages: crawl.pages, baseline: local.size === 0, complete: crawl.complete };
}

/** File names for this run: a known url keeps its file; a new one gets a name no other url has. */
function nameAssigner(local: Map<string, LocalDocument>, scope: SourceScope) {
  const taken = new Map<string, string>(
    [...local.values()].map((d) => [d.file.toLowerCase(), d.sidecar.url]),
  );
  return (doc: FoundDocument, previous: LocalDocument | undefined): string => {
    if (previous) return previous.file;
    let name = localNameFor(doc.url, scope.start.host, doc.ext);
    const owner = taken.get(name.toLowerCase());
    if (owner !== undefined && owner !== doc.url) name = disambiguate(name, doc.url);
    taken.set(name.toLowerCase(), doc.url);
    return name;
  };
}

/** Documents the site no longer links to: kept (the record of past meetings) unless --prune. */
async function handleGone(
  source: Source,
  folder: string,
  local: Map<string, LocalDocument>,
  crawl: { documents: FoundDocument[]; complete: boolean },
  run: SourceRun,
): Promise<void> {
  const linked = new Set(crawl.documents.map((d) => d.url));
  const gone = [...local.values()].filter((d) => !linked.has(d.sidecar.url));
  for (const d of gone)
    run.report.gone.push({ source: source.name, url: d.sidecar.url, file: `${source.name}/${d.file}` });
  if (!run.prune || run.dryRun || gone.length === 0) return;
  if (!crawl.complete) {
    // A page that failed to load hides its links: pruning now could delete good documents.
    run.log.warn(
      { source: source.name, gone: gone.length },
      "sync: not pruning, some pages could not be read",
    );
    return;
  }
  for (const d of gone) {
    const path = join(folder, d.file);
    try {
      await rm(path, { force: true });
      await rm(sidecarPathFor(path), { force: true });
      run.report.pruned.push(`${source.name}/${d.file}`);
    } catch (error) {
      run.log.warn({ file: path, err: describeError(error) }, "sync: could not prune");
    }
  }
}
