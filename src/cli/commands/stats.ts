import type { Command } from "commander";
import { KkrStore } from "../../store/store.js";
import { type CliContext, printJson } from "../context.js";

export interface IndexStats {
  db: string;
  documents: number;
  chunks: number;
  glossary: number;
  embedder: string | null;
  dimensions: number | null;
  docsDir: string | null;
  updatedAt: string | null;
  byRegion: Record<string, number>;
  byKind: Record<string, number>;
  byYear: Record<string, number>;
  diskBytes: number | null;
}

export async function collectStats(store: KkrStore): Promise<IndexStats> {
  const meta = await store.readMeta();
  const counts = await store.counts();
  const docs = await store.listDocuments();
  const tally = (key: (d: (typeof docs)[number]) => string) => {
    const out: Record<string, number> = {};
    for (const d of docs) out[key(d)] = (out[key(d)] ?? 0) + 1;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  };
  return {
    db: store.uri,
    ...counts,
    embedder: meta?.embedderId ?? null,
    dimensions: meta?.dimensions ?? null,
    docsDir: meta?.docsDir ?? null,
    updatedAt: meta?.updatedAt ?? null,
    byRegion: tally((d) => d.region ?? "unknown"),
    byKind: tally((d) => d.kind),
    byYear: tally((d) => (d.year ? String(d.year) : "unknown")),
    diskBytes: store.diskBytes(),
  };
}

const fmt = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "-";

export function registerStats(program: Command, ctx: (opts: { db?: string }) => CliContext) {
  program
    .command("stats")
    .description("what the index holds: documents, chunks, regions, kinds, years, embedder, size")
    .option("--db <uri>", "LanceDB path or URI (overrides KKR_DB)")
    .option("--json", "print JSON on stdout")
    .action(async (opts: { db?: string; json?: boolean }) => {
      const c = ctx({ db: opts.db });
      const store = await KkrStore.open(c.config.db, { store: c.config.store });
      try {
        const s = await collectStats(store);
        if (opts.json) return printJson(c, s);
        c.out(
          [
            `index      ${s.db}`,
            `documents  ${s.documents}`,
            `chunks     ${s.chunks}`,
            `glossary   ${s.glossary} acronyms`,
            `embedder   ${s.embedder ?? "-"} (${s.dimensions ?? "-"} dims)`,
            `source     ${s.docsDir ?? "-"}`,
            `updated    ${s.updatedAt ?? "-"}`,
            `by region  ${fmt(s.byRegion)}`,
            `by kind    ${fmt(s.byKind)}`,
            `by year    ${fmt(s.byYear)}`,
            `on disk    ${s.diskBytes === null ? "-" : `${(s.diskBytes / 1024 / 1024).toFixed(1)} MiB`}`,
          ].join("\n"),
        );
      } finally {
        store.close();
      }
    });
}
