import { readdir, stat } from "node:fs/promises";
import type { Config } from "../src/config.js";
import type { Embedder } from "../src/embed/embedder.js";
import { describeError, isKkrError } from "../src/errors.js";
import { type Logger, silentLogger } from "../src/logger.js";
import type { KkrStore } from "../src/store/store.js";
import { type IngestSummary, runIngest } from "./pipeline.js";

/** Remembers, across --watch rounds, what was already reported (so it is said once). */
export interface SyncState {
  lockReported: boolean;
}

/**
 * The bot's startup (and --watch) sync: bring the index up to date with its folder.
 * The folder is the one the index was built from, unless KKR_DOCS_DIR names another.
 * A missing, empty, unreadable folder or a file in its place never empties the index
 * (nor stops the bot): warn and serve what is there.
 */
export async function syncIndex(
  config: Config,
  store: KkrStore,
  embedder: Embedder,
  logger: Logger = silentLogger,
  options: { prune?: boolean; state?: SyncState } = {},
): Promise<IngestSummary | null> {
  const meta = await store.readMeta();
  const dir = config.docsDirExplicit ? config.docsDir : (meta?.docsDir ?? config.docsDir);
  const problem = await folderProblem(dir);
  if (problem !== null) {
    logger.warn({ dir }, `${problem}; serving the index as it is`);
    return null;
  }
  try {
    const summary = await runIngest(store, embedder, {
      dir,
      maxFileBytes: config.maxFileBytes,
      parseTimeoutMs: config.parseTimeoutMs,
      pruneMaxShare: config.pruneMaxShare,
      pdfMaxMemoryMb: config.pdfMaxMemoryMb,
      prune: options.prune ?? false,
      logger,
    });
    if (options.state) options.state.lockReported = false;
    logger.info(
      {
        dir,
        added: summary.added.length,
        updated: summary.updated.length,
        removed: summary.removed.length,
        skipped: summary.skipped.length,
        documents: summary.documents,
      },
      "index synced",
    );
    return summary;
  } catch (error) {
    if (isKkrError(error, "PRUNE_REFUSED") || isKkrError(error, "INDEX_READ_ONLY")) {
      // the operator's call, not a fault: say what would have gone and how to allow it
      logger.warn({ dir, ...error.details }, error.message);
      return null;
    }
    if (isKkrError(error, "INGEST_LOCKED")) {
      // another ingest (e.g. `kkr ingest` by hand) is at work: normal, not an error; say it once
      const level = options.state?.lockReported ? "debug" : "info";
      logger[level]({ dir }, "another ingest is running; will retry");
      if (options.state) options.state.lockReported = true;
      return null;
    }
    logger.error({ dir, err: describeError(error) }, "sync failed; serving the index as it is");
    return null;
  }
}

/** Why the folder can't be synced from, or null when it can. */
async function folderProblem(dir: string): Promise<string | null> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(dir);
  } catch {
    return "documents folder not found (set KKR_DOCS_DIR)";
  }
  if (!info.isDirectory())
    return "the documents folder is not a folder but a file (set KKR_DOCS_DIR to a folder)";
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    return `cannot read the documents folder (${describeError(error)}; check its permissions or that it is mounted)`;
  }
  return names.some((f) => !f.startsWith(".")) ? null : "documents folder is empty";
}
