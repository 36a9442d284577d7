// One ingest of a synthetic folder, in its own process: prints JSON (chunks/s, time spent in
// the index phase, peak RSS). Usage: node --import tsx bench/scale-ingest.ts DOCS_DIR DB_DIR
import { runIngest } from "../ingest/pipeline.js";
import { HashEmbedder } from "../src/embed/hash-embedder.js";
import { KkrStore } from "../src/store/store.js";

const [dir, db] = process.argv.slice(2);
if (!dir || !db) throw new Error("usage: scale-ingest.ts DOCS_DIR DB_DIR");
const store = await KkrStore.open(db, { create: true });
let indexStart = 0;
let indexMs = 0;

// time spent in the store's writes
let writeMs = 0;
const write = store.writeDocuments.bind(store);
store.writeDocuments = async (...args) => {
  const t = performance.now();
  await write(...args);
  writeMs += performance.now() - t;
};
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const s = await runIngest(store, new HashEmbedder(), {
  dir,
  maxFileBytes: 1e9,
  parseTimeoutMs: 60_000,
  onProgress: (p) => {
    if (p.phase === "index") indexStart = performance.now();
    if (p.phase === "done" && indexStart) indexMs = performance.now() - indexStart;
  },
});
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const indices = await store.indexInfo();
store.close();
process.stdout.write(
  `${JSON.stringify({
    documents: s.documents,
    chunks: s.chunks,
    seconds,
    chunksPerSecond: s.chunks / seconds,
    indexSeconds: indexMs / 1000,
    indices,
    writeSeconds: writeMs / 1000,
    /** user + system CPU of the whole process (all threads): less sensitive to a shared machine */
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
