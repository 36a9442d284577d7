// Warm latency and memory over one index, in its own process: prints JSON.
// `ask` p50/p95 (the whole core), the project's retrieval and raw LanceDB hybrid search
// (FTS + vector + its RRF reranker, same query text and vector, same k) on the same table,
// and RSS after answering `KKR_SCALE_ASKS` (default 200) questions.
// Usage: node --import tsx bench/scale-query.ts DB_DIR
import * as lancedb from "@lancedb/lancedb";
import { loadConfig } from "../src/config.js";
import { Kkr } from "../src/kkr.js";
import { hybridSearch } from "../src/retrieval/search.js";
import { CHUNK_COLUMNS, TABLES } from "../src/store/schema.js";
import { BENCH_QUESTIONS } from "./bench-questions.js";

const [db] = process.argv.slice(2);
if (!db) throw new Error("usage: scale-query.ts DB_DIR");
const asks = Number(process.env.KKR_SCALE_ASKS ?? 200);
const K = 10;
const config = loadConfig({ KKR_DB: db, KKR_LOG_LEVEL: "silent" });
const kkr = await Kkr.open(config, { llmAnswerer: null, rewriter: null });
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const analyses = await Promise.all(BENCH_QUESTIONS.map((q) => kkr.analyze(q)));

const projectSearch = (i: number) => hybridSearch(kkr.store, kkr.embedder, analyses[i]!, { k: K });

// warm-up: opens tables, loads indices into the caches
for (const q of BENCH_QUESTIONS) await kkr.ask(q);
const rssBefore = process.memoryUsage().rss / 2 ** 20;
const ask: number[] = [];
for (let n = 0; n < asks; n++) {
  const t = performance.now();
  await kkr.ask(BENCH_QUESTIONS[n % BENCH_QUESTIONS.length]!);
  ask.push(performance.now() - t);
}
const rssAfter = process.memoryUsage().rss / 2 ** 20;

// raw LanceDB on its own connection to the same table (like a user of the SDK would)
const rawConn = await lancedb.connect(db);
const rawTable = await rawConn.openTable(TABLES.chunks);
const rrf = await lancedb.rerankers.RRFReranker.create();
const rawHybrid = async (i: number) => {
  const a = analyses[i]!;
  const [vector] = await kkr.embedder.embed([a.embedText], "query");
  return rawTable
    .query()
    .fullTextSearch(a.ftsQuery, { columns: ["searchText"] })
    .nearestTo(vector!)
    .distanceType("cosine")
    .select([...CHUNK_COLUMNS])
    .rerank(rrf)
    .limit(K)
    .toArray();
};
for (let i = 0; i < BENCH_QUESTIONS.length; i++) {
  await rawHybrid(i);
  await projectSearch(i);
}
const retrieval: number[] = [];
const raw: number[] = [];
// interleaved so both see the same machine load
for (let r = 0; r < 5; r++) {
  for (let i = 0; i < BENCH_QUESTIONS.length; i++) {
    let t = performance.now();
    await projectSearch(i);
    retrieval.push(performance.now() - t);
    t = performance.now();
    await rawHybrid(i);
    raw.push(performance.now() - t);
  }
}
rawTable.close();
rawConn.close();
await kkr.close();
process.stdout.write(
  `${JSON.stringify({
    askP50: pct(ask, 50),
    askP95: pct(ask, 95),
    retrievalP50: pct(retrieval, 50),
    rawHybridP50: pct(raw, 50),
    ratio: pct(retrieval, 50) / pct(raw, 50),
    rssBeforeMiB: rssBefore,
    rssAfterMiB: rssAfter,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
