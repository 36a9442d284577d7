// `npm run bench:scale`: synthetic indexes of 10k and 100k chunks (KKR_SCALE_SIZES=10000,100000;
// add 1000000 for the manual 1M point, not for CI), each measured in its own processes:
// ingest chunks/s (including index builds), index build time, warm `ask` p50/p95, the
// project's retrieval p50 beside raw LanceDB hybrid p50 on the same table, cold `kkr ask`
// (node bin/kkr.js), and RSS after 200 questions. KKR_SCALE_DIR keeps the generated folders
// and indexes between runs (an existing index is re-measured, not re-ingested).
// Prints a Markdown table; --json prints the raw figures.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeSyntheticCorpus } from "../test/helpers/synthetic-corpus.js";

const ROOT = resolve(import.meta.dirname, "..");
const SIZES = (process.env.KKR_SCALE_SIZES ?? "10000,100000").split(",").map(Number);
/** Chunks one synthetic agenda of 8 items yields (measured; the table prints the real count). */
const CHUNKS_PER_DOC = Number(process.env.KKR_SCALE_CHUNKS_PER_DOC ?? 17);
const COLD_RUNS = 5;
const json = process.argv.includes("--json");
const keep = process.env.KKR_SCALE_DIR;
const work = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), "kkr-scale-"));
mkdirSync(work, { recursive: true });
const log = (s: string) => process.stderr.write(`bench:scale: ${s}\n`);

function runTs(script: string, args: string[]): Record<string, unknown> {
  const out = execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "bench", script), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, KKR_LOG_LEVEL: "silent", LANCEDB_LOG: "error" },
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split("\n").pop() ?? "{}");
}

function coldAsk(db: string): { median: number; min: number; max: number } | string {
  if (!existsSync(join(ROOT, "dist/src/cli/main.js"))) return "skipped: run `npm run build` first";
  const times: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(
      process.execPath,
      [join(ROOT, "bin/kkr.js"), "ask", "Hvem er udpeget til styregruppen for DK2020?", "--db", db, "--json"],
      { env: { ...process.env, KKR_LOG_LEVEL: "silent", OPENAI_API_KEY: "", OPENAI_BASE_URL: "" } },
    );
    if (r.status !== 0) throw new Error(`kkr ask failed: ${r.stderr}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(COLD_RUNS / 2)]!, min: times[0]!, max: times[COLD_RUNS - 1]! };
}

const results: Record<string, unknown>[] = [];
try {
  for (const size of SIZES) {
    const docs = join(work, `docs-${size}`);
    const db = join(work, `db-${size}`);
    if (!existsSync(docs) || readdirSync(docs).length === 0) {
      log(`${size}: generating ${Math.ceil(size / CHUNKS_PER_DOC)} agendas`);
      writeSyntheticCorpus(docs, Math.ceil(size / CHUNKS_PER_DOC), 8);
    }
    let ingest: Record<string, unknown> | null = null;
    if (!existsSync(db)) {
      log(`${size}: ingest`);
      ingest = runTs("scale-ingest.ts", [docs, db]);
    }
    log(`${size}: warm queries`);
    const query = runTs("scale-query.ts", [db]);
    log(`${size}: cold ask`);
    results.push({ size, ingest, query, coldAskMs: coldAsk(db) });
  }
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}

if (json) {
  process.stdout.write(
    `${JSON.stringify({ node: process.version, cpus: cpus().length, results }, null, 2)}\n`,
  );
} else {
  const f = (x: unknown, d = 1) => (typeof x === "number" ? x.toFixed(d) : "–");
  const lines = [
    `kkr-bot scale benchmark · ${process.version} · ${cpus().length} × ${cpus()[0]?.model}`,
    "",
    "| chunks | ingest chunks/s | index build | warm ask p50 / p95 | retrieval p50 / raw LanceDB hybrid p50 (ratio) | cold ask (median, min–max) | RSS after 200 asks (peak) |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of results) {
    const i = (r.ingest ?? {}) as Record<string, number>;
    const q = r.query as Record<string, number>;
    const c = r.coldAskMs as Record<string, number> | string;
    const cold = typeof c === "string" ? c : `${f(c.median, 0)} ms (${f(c.min, 0)}–${f(c.max, 0)})`;
    lines.push(
      `| ${i.chunks ?? r.size} | ${f(i.chunksPerSecond, 0)} | ${f(i.indexSeconds, 1)} s | ${f(q.askP50)} / ${f(q.askP95)} ms | ${f(q.retrievalP50)} / ${f(q.rawHybridP50)} ms (${f(q.ratio, 2)}×) | ${cold} | ${f(q.rssAfterMiB, 0)} MiB (${f(q.peakRssMiB, 0)}) |`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
