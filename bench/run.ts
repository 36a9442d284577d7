// `npm run bench`: ingest throughput and query latency on the reference corpus and on a
// generated corpus of ~50k chunks, plus cold `kkr ask` time. Each measurement runs in its
// own process so peak RSS belongs to it. Prints a table; --json prints the raw figures.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeSyntheticCorpus, writeSyntheticPdfs } from "../test/helpers/synthetic-corpus.js";

const ROOT = resolve(import.meta.dirname, "..");
const CORPUS = resolve(ROOT, "../shared/corpus");
const SYNTHETIC_DOCS = Number(process.env.KKR_BENCH_DOCS ?? 4000);
const PDF_DOCS = Number(process.env.KKR_BENCH_PDFS ?? 300);
const json = process.argv.includes("--json");

function runTs(script: string, args: string[]): Record<string, number> {
  const out = execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "bench", script), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, KKR_LOG_LEVEL: "silent" },
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split("\n").pop() ?? "{}");
}

const tmp = mkdtempSync(join(tmpdir(), "kkr-bench-"));
const results: Record<string, unknown> = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
};
try {
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  // ingest a folder into a fresh index, then (optionally) time queries on it
  const measure = (name: string, docs: string, queryRounds: number | null) => {
    log(`${name}: ingest`);
    const db = join(tmp, `${name}-db`);
    const ingest = runTs("ingest-bench.ts", [docs, db]);
    if (queryRounds === null) return { ingest, db };
    log(`${name}: queries`);
    return { ingest, query: runTs("query-bench.ts", [db, String(queryRounds)]), db };
  };
  const reference = measure("reference", CORPUS, 10);
  results.referenceIngest = reference.ingest;
  results.referenceQuery = reference.query;
  const refDb = reference.db;

  log(`synthetic corpus: generating ${SYNTHETIC_DOCS} documents`);
  const synDocs = join(tmp, "syn-docs");
  writeSyntheticCorpus(synDocs, SYNTHETIC_DOCS, 8);
  const synthetic = measure("synthetic", synDocs, 5);
  results.syntheticIngest = synthetic.ingest;
  results.syntheticQuery = synthetic.query;

  log(`PDF corpus: generating ${PDF_DOCS} PDFs`);
  const pdfDocs = join(tmp, "pdf-docs");
  await writeSyntheticPdfs(pdfDocs, PDF_DOCS, 8);
  results.pdfIngest = measure("pdf", pdfDocs, null).ingest;

  const bin = join(ROOT, "bin/kkr.js");
  if (existsSync(join(ROOT, "dist/src/cli/main.js"))) {
    log("cold kkr ask");
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [bin, "ask", "Hvem er formand for KKR Sjælland?", "--db", refDb, "--json"],
        {
          env: { ...process.env, KKR_LOG_LEVEL: "silent", OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
        },
      );
      if (r.status !== 0) throw new Error(`kkr ask failed: ${r.stderr}`);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    results.coldAskMs = { median: times[2], min: times[0], max: times[4] };
  } else {
    results.coldAskMs = "skipped: run `npm run build` first";
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

if (json) {
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else {
  const f = (x: unknown, d = 1) => (typeof x === "number" ? x.toFixed(d) : String(x));
  const row = (name: string, i: Record<string, number>, q: Record<string, number>) =>
    `| ${name} | ${i.documents} | ${i.chunks} | ${f(i.seconds)} s | ${f(i.docsPerSecond, 0)} | ${f(i.chunksPerSecond, 0)} | ${f(i.peakRssMiB, 0)} MiB | ${f(i.rerunSeconds, 2)} s | ${f(q.retrievalP50)} / ${f(q.retrievalP95)} ms | ${f(q.answerP50)} / ${f(q.answerP95)} ms |`;
  const lines = [
    `kkr-bot benchmark · ${results.node} · ${results.cpus} × ${results.cpu}`,
    "",
    "| corpus | docs | chunks | ingest | docs/s | chunks/s | peak RSS | re-run (no changes) | retrieval p50 / p95 | extractive answer p50 / p95 |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    row(
      "reference (../shared/corpus)",
      results.referenceIngest as Record<string, number>,
      results.referenceQuery as Record<string, number>,
    ),
    row(
      "synthetic",
      results.syntheticIngest as Record<string, number>,
      results.syntheticQuery as Record<string, number>,
    ),
    "",
    (() => {
      const p = results.pdfIngest as Record<string, number>;
      return `PDF ingest (${p.documents} generated multi-page PDFs, ${p.chunks} chunks): ${f(p.seconds)} s, ${f(p.docsPerSecond, 0)} PDFs/s, peak RSS ${f(p.peakRssMiB, 0)} MiB`;
    })(),
    "",
    `cold \`kkr ask\` (new process, reference index): ${typeof results.coldAskMs === "object" ? `median ${f((results.coldAskMs as Record<string, number>).median, 0)} ms` : results.coldAskMs}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
