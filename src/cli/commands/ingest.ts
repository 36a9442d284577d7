import type { Command } from "commander";
import { runIngest } from "../../../ingest/pipeline.js";
import { createEmbedder } from "../../embed/create-embedder.js";
import { KkrStore } from "../../store/store.js";
import { type CliContext, printJson } from "../context.js";
import { progressReporter } from "../progress.js";
import { renderIngestSummary } from "../render.js";

export function registerIngest(program: Command, ctx: (opts: { db?: string; docs?: string }) => CliContext) {
  program
    .command("ingest")
    .description("index a folder of documents (PDF, text, markdown, HTML) incrementally")
    .argument("[dir]", "folder to ingest (default: KKR_DOCS_DIR or ./documents)")
    .option("--db <uri>", "LanceDB path or URI (overrides KKR_DB)")
    .option("--rebuild", "drop the index and embed everything again")
    .option("--strict", "exit non-zero when any file was skipped")
    .option("--prune", "allow removing more than KKR_PRUNE_MAX_SHARE of the index (files deleted on purpose)")
    .option("--json", "print the summary as JSON on stdout")
    .action(
      async (
        dir: string | undefined,
        opts: { db?: string; rebuild?: boolean; strict?: boolean; prune?: boolean; json?: boolean },
      ) => {
        const c = ctx({ db: opts.db, docs: dir });
        const embedder = await createEmbedder(c.config, { logger: c.logger });
        const store = await KkrStore.open(c.config.db, { create: true });
        const progress = opts.json ? null : progressReporter();
        try {
          const summary = await runIngest(store, embedder, {
            dir: c.config.docsDir,
            rebuild: opts.rebuild ?? false,
            maxFileBytes: c.config.maxFileBytes,
            parseTimeoutMs: c.config.parseTimeoutMs,
            pruneMaxShare: c.config.pruneMaxShare,
            pdfMaxMemoryMb: c.config.pdfMaxMemoryMb,
            prune: opts.prune ?? false,
            logger: c.logger,
            ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
          });
          if (opts.json) printJson(c, summary);
          else c.out(renderIngestSummary(summary));
          if (opts.strict && summary.skipped.length > 0) process.exitCode = 3;
        } finally {
          store.close();
        }
      },
    );
}
