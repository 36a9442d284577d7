import { existsSync, readdirSync } from "node:fs";
import type { Config } from "../src/config.js";
import type { Embedder } from "../src/embed/embedder.js";
import { describeError, isKkrError } from "../src/errors.js";
import { type Logger, silentLogger } from "../src/logger.js";
import type { KkrStore } from "../src/store/store.js";
import { type IngestSummary, runIngest } from "./pipeline.js";

/**
 * The bot's startup (and --watch) sync: bring the index up to date with its folder.
 * The folder is the one the index was built from, unless KKR_DOCS_DIR names another.
 * A missing or empty folder never empties the index: warn and serve what is there.
 */
export async function syncIndex(
  config: Config,
  store: KkrStore,
  embedder: Embedder,
  logger: Logger = silentLogger,
  options: { prune?: boolean } = {},
): Promise<IngestSummary | null> {
  const meta = await store.readMeta();
  const dir = config.docsDirExplicit ? config.docsDir : (meta?.docsDir ?? config.docsDir);
  if (!existsSync(dir)) {
    logger.warn({ dir }, "documents folder not found; serving the index as it is (set KKR_DOCS_DIR)");
    return null;
  }
  if (readdirSync(dir).filter((f) => !f.startsWith(".")).length === 0) {
    logger.warn({ dir }, "documents folder is empty; serving the index as it is");
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
    if (isKkrError(error, "PRUNE_REFUSED")) {
      // the operator's call, not a fault: say what would have gone and how to allow it
      logger.warn({ dir, ...error.details }, error.message);
      return null;
    }
    logger.error({ dir, err: describeError(error) }, "sync failed; serving the index as it is");
    return null;
  }
}
