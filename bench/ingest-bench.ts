// One ingest measured in its own process (so peak RSS is this run's): prints JSON.
// Usage: node --import tsx bench/ingest-bench.ts DOCS_DIR DB_DIR
import { runIngest } from "../ingest/pipeline.js";
import { HashEmbedder } from "../src/embed/hash-embedder.js";
import { KkrStore } from "../src/store/store.js";

const [dir, db] = process.argv.slice(2);
if (!dir || !db) throw new Error("usage: ingest-bench.ts DOCS_DIR DB_DIR");
const store = await KkrStore.open(db, { create: true });
const t0 = performance.now();
const s = await runIngest(store, new HashEmbedder(), { dir, maxFileBytes: 1e9, parseTimeoutMs: 60_000 });
const seconds = (performance.now() - t0) / 1000;
const t1 = performance.now();
const again = await runIngest(store, new HashEmbedder(), { dir, maxFileBytes: 1e9, parseTimeoutMs: 60_000 });
const rerun = (performance.now() - t1) / 1000;
store.close();
process.stdout.write(
  `${JSON.stringify({
    documents: s.documents,
    chunks: s.chunks,
    seconds,
    docsPerSecond: s.documents / seconds,
    chunksPerSecond: s.chunks / seconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    rerunSeconds: rerun,
    rerunEmbedded: again.chunksEmbedded,
  })}\n`,
);
