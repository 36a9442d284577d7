// `node --import tsx bench/pdf-bomb.ts [INFLATED_MB] [LIMIT_MB]`: builds a decompression-bomb
// PDF (one FlateDecode stream inflating to INFLATED_MB, default 2500) and parses it twice
// through the memory-capped parser pool (LIMIT_MB, default 1024 = KKR_PDF_MAX_MEMORY_MB's
// default). Prints the file size, each parse's outcome and time, and this process's peak
// RSS (the parser process is capped by ulimit -d; run under `/usr/bin/time -f %M` to see
// the largest process's peak).
import { extractBytes } from "../ingest/extract.js";
import { makeBombPdf } from "../test/helpers/make-bomb-pdf.js";

const inflatedMb = Number(process.argv[2] ?? 2500);
const limitMb = Number(process.argv[3] ?? 1024);
const pdf = await makeBombPdf({ inflatedMb });
let peak = process.memoryUsage().rss;
const sample = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);
const runs: { ms: number; outcome: string }[] = [];
for (let i = 0; i < 2; i++) {
  const t0 = performance.now();
  let outcome: string;
  try {
    const raw = await extractBytes(pdf, "bomb.pdf", {
      maxFileBytes: 50 * 1024 * 1024,
      parseTimeoutMs: 120_000,
      pdfMaxMemoryMb: limitMb,
    });
    outcome = `parsed (${raw.pages.length} page)`;
  } catch (error) {
    outcome = (error as Error).message;
  }
  runs.push({ ms: Math.round(performance.now() - t0), outcome });
}
clearInterval(sample);
const figures = {
  fileBytes: pdf.length,
  inflatedMb,
  limitMb,
  runs,
  thisProcessPeakRssMiB: Math.round(peak / 1024 / 1024),
};
console.log(JSON.stringify(figures, null, 2));
