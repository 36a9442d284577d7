// `npm run bench:scale`: synthetic indexes of 10k and 100k chunks (KKR_SCALE_SIZES=10000,100000;
// add 1000000 for the manual 1M point, not for CI), each measured in its own processes:
// ingest chunks/s (including index builds), index build time, warm `ask` p50/p95, the
// project's retrieval p50 beside raw LanceDB hybrid p50 on the same table, cold `kkr ask`
// (node bin/kkr.js), and RSS of the console chat answering 200 questions. KKR_SCALE_DIR keeps the generated folders
// and indexes between runs (an existing index is re-measured, not re-ingested).
// Prints a Markdown table; --json prints the raw figures.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
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

/**
 * RSS of the console chat (`kkr serve --no-sync`, compiled) answering `n` questions from
 * stdin, sampled from /proc every 50 ms: the last sample before it exits, and the peak.
 */
async function serveRss(db: string, n = 200): Promise<{ lastMiB: number; peakMiB: number } | string> {
  if (!existsSync(join(ROOT, "dist/src/cli/main.js"))) return "skipped: run `npm run build` first";
  if (!existsSync("/proc/self/status")) return "skipped: needs /proc";
  const questions = [
    "Hvem er udpeget til styregruppen for DK2020?",
    "What was decided about kollektiv trafik in Nordjylland?",
    "Hvor mange kommuner deltager i indsatsen for praktikpladser?",
    "Hvem gav et oplæg om klimahandleplaner i KKR Syddanmark?",
    "Hvornår forventes den videre proces for trafikselskaber afsluttet?",
  ];
  const child = spawn(process.execPath, [join(ROOT, "bin/kkr.js"), "serve", "--no-sync", "--db", db], {
    env: {
      ...process.env,
      KKR_LOG_LEVEL: "silent",
      SLACK_BOT_TOKEN: "",
      OPENAI_API_KEY: "",
      OPENAI_BASE_URL: "",
    },
    stdio: ["pipe", "ignore", "ignore"],
  });
  let last = 0;
  let peak = 0;
  const sample = setInterval(() => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0);
      last = kb || last;
      peak = Math.max(peak, kb);
    } catch {
      // exited between samples
    }
  }, 50);
  for (let i = 0; i < n; i++) child.stdin.write(`${questions[i % questions.length]}\n`);
  child.stdin.end();
  const code = await new Promise<number | null>((done) => child.on("exit", done));
  clearInterval(sample);
  if (code !== 0) throw new Error(`kkr serve exited with ${code}`);
  return { lastMiB: last / 1024, peakMiB: peak / 1024 };
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
    const cold = coldAsk(db);
    log(`${size}: console chat RSS`);
    results.push({ size, ingest, query, coldAskMs: cold, serveRss: await serveRss(db) });
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
    "| chunks | ingest chunks/s (CPU s) | index build | warm ask p50 / p95 | retrieval p50 / raw LanceDB hybrid p50 (ratio) | cold ask (median, min–max) | console chat RSS after 200 questions (peak) |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of results) {
    const i = (r.ingest ?? {}) as Record<string, number>;
    const q = r.query as Record<string, number>;
    const c = r.coldAskMs as Record<string, number> | string;
    const cold = typeof c === "string" ? c : `${f(c.median, 0)} ms (${f(c.min, 0)}–${f(c.max, 0)})`;
    const m = r.serveRss as Record<string, number> | string;
    const rss = typeof m === "string" ? m : `${f(m.lastMiB, 0)} MiB (${f(m.peakMiB, 0)})`;
    lines.push(
      `| ${i.chunks ?? r.size} | ${f(i.chunksPerSecond, 0)} (${f(i.cpuSeconds, 0)}) | ${f(i.indexSeconds, 1)} s | ${f(q.askP50)} / ${f(q.askP95)} ms | ${f(q.retrievalP50)} / ${f(q.rawHybridP50)} ms (${f(q.ratio, 2)}×) | ${cold} | ${rss} |`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
