import type { Command } from "commander";
import { createEmbedder } from "../../embed/create-embedder.js";
import { KkrStore } from "../../store/store.js";
import { renderReport, toJson } from "../../sync/report.js";
import { runSyncJob } from "../../sync/sync-job.js";
import { type CliContext, printJson } from "../context.js";
import { progressReporter } from "../progress.js";
import { syncProgressReporter } from "../sync-progress.js";

interface SyncFlags {
  db?: string;
  sources?: string;
  source?: string;
  dryRun?: boolean;
  json?: boolean;
  prune?: boolean;
  strict?: boolean;
}

export function registerSync(program: Command, ctx: (opts: { db?: string; sources?: string }) => CliContext) {
  program
    .command("sync")
    .description(
      "fetch new and changed documents from the web sources in kkr.sources.json into KKR_DOCS_DIR, then ingest them",
    )
    .option("--db <uri>", "LanceDB path or URI (overrides KKR_DB)")
    .option("--sources <file>", "sources file (overrides KKR_SOURCES; default ./kkr.sources.json)")
    .option("--source <name>", "sync only this source")
    .option("--dry-run", "crawl and list what would be fetched; download and change nothing")
    .option("--prune", "delete documents the site no longer links to (kept by default)")
    .option("--strict", "exit 3 when any page or document failed")
    .option("--json", "print the report as JSON on stdout")
    .action(async (opts: SyncFlags) => {
      const c = ctx({ db: opts.db, ...(opts.sources ? { sources: opts.sources } : {}) });
      const embedder = await createEmbedder(c.config, { logger: c.logger });
      const store = await KkrStore.open(c.config.db, { create: true, store: c.config.store });
      const progress = opts.json ? null : syncProgressReporter();
      const ingestProgress = opts.json ? null : progressReporter();
      try {
        const report = await runSyncJob({
          config: c.config,
          store,
          embedder,
          logger: c.logger,
          dryRun: opts.dryRun ?? false,
          prune: opts.prune ?? false,
          ...(opts.source ? { source: opts.source } : {}),
          ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
          ...(ingestProgress ? { onIngestProgress: (p) => ingestProgress.update(p) } : {}),
        });
        if (opts.json) printJson(c, toJson(report));
        else c.out(renderReport(report));
        if (opts.strict && report.failed.length > 0) process.exitCode = 3;
      } finally {
        store.close();
      }
    });
}
