/**
 * Worker-thread entry that parses one PDF. It runs apart from the main thread so a PDF
 * that hangs pdf.js or eats memory can be killed (Worker.terminate) without stopping the
 * ingest run. Input: workerData.data (the PDF bytes). Output: one PdfWorkerResult message.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PDFParse } from "pdf-parse";

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
if (parentPort && input?.data) {
  const port = parentPort;
  run(input.data).then(
    (result) => port.postMessage(result),
    (error: unknown) =>
      port.postMessage({ ok: false, errorName: "Error", message: String(error) } satisfies PdfWorkerResult),
  );
}
