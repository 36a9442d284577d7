/**
 * Worker-thread entry that parses one PDF. It runs apart from the main thread so a PDF
 * that hangs pdf.js or eats memory can be killed (Worker.terminate) without stopping the
 * ingest run. Input: workerData.data (the PDF bytes). Output: one PdfWorkerResult message.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PDFParse } from "pdf-parse";

// pdf.js may still print warnings; in a worker they would reach the parent's stdout, which
// carries results (--json). Silence this thread's console instead of piping its output.
for (const method of ["log", "info", "warn", "error", "debug"] as const) console[method] = () => {};

export type PdfWorkerResult =
  | { ok: true; pages: string[] }
  | { ok: false; errorName: string; message: string };

async function run(data: Uint8Array): Promise<PdfWorkerResult> {
  // verbosity 0: pdf.js warnings ("TT: undefined function") are noise on real-world PDFs.
  const parser = new PDFParse({ data, verbosity: 0 });
  try {
    const result = await parser.getText();
    // Sort by page number so pages[i] is page i + 1 whatever order pdf.js reports.
    const pages = [...result.pages].sort((a, b) => a.num - b.num).map((p) => p.text);
    return { ok: true, pages };
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    return { ok: false, errorName: err.name, message: err.message };
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

const input = workerData as { data: Uint8Array } | undefined;
const failure = (error: unknown): PdfWorkerResult => ({
  ok: false,
  errorName: "Error",
  message: String(error),
});
if (parentPort && input?.data) {
  // one-shot: parse workerData.data and reply once
  const port = parentPort;
  run(input.data).then(
    (result) => port.postMessage(result),
    (error: unknown) => port.postMessage(failure(error)),
  );
} else if (parentPort) {
  // pooled: parse each { id, data } message in turn, replying { id, ...result }; reusing the
  // worker saves loading pdf.js again for every file
  const port = parentPort;
  port.on("message", (job: { id: number; data: Uint8Array }) => {
    run(job.data).then(
      (result) => port.postMessage({ id: job.id, ...result }),
      (error: unknown) => port.postMessage({ id: job.id, ...failure(error) }),
    );
  });
}
