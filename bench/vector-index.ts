// Chooses the vector index by measurement: copies (id, vector) of an index's chunk table
// into a scratch table, builds one index kind there, and prints JSON: build seconds, query
// p50 at each search setting, recall@40 against exact (flat) search, and RSS.
// Usage: node --import tsx bench/vector-index.ts DB_DIR SCRATCH_DIR KIND [PARTITIONS]
//   KIND: flat | ivf_flat | ivf_pq | ivf_rq | hnsw_sq | hnsw_pq
import "../src/store/lancedb-env.js";
import { existsSync } from "node:fs";
import * as lancedb from "@lancedb/lancedb";
import { HashEmbedder } from "../src/embed/hash-embedder.js";
import { BENCH_QUESTIONS, KEYWORD_QUERIES } from "./bench-questions.js";

const [db, scratch, kind = "flat", partArg] = process.argv.slice(2);
if (!db || !scratch) throw new Error("usage: vector-index.ts DB_DIR SCRATCH_DIR KIND [PARTITIONS]");
const K = 40;
const QUERIES = [...BENCH_QUESTIONS, ...KEYWORD_QUERIES];
const src = await lancedb.connect(db);
const conn = await lancedb.connect(scratch);
let table: lancedb.Table;
if ((await conn.tableNames()).includes("v")) table = await conn.openTable("v");
else {
  const chunks = await src.openTable("chunks");
  const data = await chunks.query().select(["id", "vector"]).toArrow();
  table = await conn.createTable("v", data);
}
const rows = await table.countRows();
const embedder = new HashEmbedder();
const vectors = await embedder.embed(QUERIES);
const exact: string[][] = [];
for (const v of vectors) {
  const r = await table
    .vectorSearch(v)
    .distanceType("cosine")
    .bypassVectorIndex()
    .select(["id"])
    .limit(K)
    .toArray();
  exact.push(r.map((x: { id: string }) => x.id));
}
const partitions = partArg ? Number(partArg) : undefined;
const configs: Record<string, () => lancedb.Index> = {
  ivf_flat: () => lancedb.Index.ivfFlat({ distanceType: "cosine", numPartitions: partitions }),
  ivf_pq: () => lancedb.Index.ivfPq({ distanceType: "cosine", numPartitions: partitions }),
  hnsw_pq: () => lancedb.Index.hnswPq({ distanceType: "cosine", numPartitions: partitions }),
  ivf_rq: () => lancedb.Index.ivfRq({ distanceType: "cosine", numPartitions: partitions }),
  hnsw_sq: () => lancedb.Index.hnswSq({ distanceType: "cosine", numPartitions: partitions }),
};
let buildSeconds = 0;
if (kind !== "flat") {
  const t0 = performance.now();
  await table.createIndex("vector", { config: configs[kind]!(), replace: true });
  buildSeconds = (performance.now() - t0) / 1000;
}
const settings: { label: string; apply: (q: lancedb.VectorQuery) => lancedb.VectorQuery }[] =
  kind === "flat"
    ? [{ label: "exact", apply: (q) => q }]
    : kind.startsWith("hnsw")
      ? [10, 20, 40].flatMap((nprobes) =>
          [0, 80, 160].map((ef) => ({
            label: `nprobes ${nprobes}${ef ? ` ef ${ef}` : ""}`,
            apply: (q: lancedb.VectorQuery) => (ef ? q.nprobes(nprobes).ef(ef) : q.nprobes(nprobes)),
          })),
        )
      : [10, 20, 40, 80].flatMap((nprobes) =>
          (kind === "ivf_flat" ? [0] : [0, 5, 10]).map((rf) => ({
            label: `nprobes ${nprobes}${rf ? ` refine ${rf}` : ""}`,
            apply: (q: lancedb.VectorQuery) =>
              rf ? q.nprobes(nprobes).refineFactor(rf) : q.nprobes(nprobes),
          })),
        );
const out: Record<string, unknown>[] = [];
for (const s of settings) {
  const times: number[] = [];
  let found = 0;
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < vectors.length; i++) {
      const t = performance.now();
      const r = await s
        .apply(table.vectorSearch(vectors[i]!).distanceType("cosine"))
        .select(["id"])
        .limit(K)
        .toArray();
      times.push(performance.now() - t);
      if (round === 0) {
        const want = new Set(exact[i]);
        found += r.filter((x: { id: string }) => want.has(x.id)).length;
      }
    }
  }
  times.sort((a, b) => a - b);
  out.push({
    setting: s.label,
    p50: times[Math.floor(times.length / 2)],
    recallAt40: found / (K * vectors.length),
  });
}
process.stdout.write(
  `${JSON.stringify({ kind, rows, partitions: partitions ?? "default", buildSeconds, existed: existsSync(scratch), results: out, rssMiB: process.memoryUsage().rss / 2 ** 20 })}\n`,
);
