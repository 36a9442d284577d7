/**
 * Child-process entry that parses PDFs, one message at a time. It runs in its own process
 * under a hard data-memory limit (set by pdf-pool.ts), so a PDF that hangs pdf.js or
 * inflates into gigabytes (a decompression bomb) fails or dies alone — never the bot.
 * Input: { id, data } messages (the PDF bytes). Output: { id, ...PdfWorkerResult }.
 */
import { PDFParse } from "pdf-parse";

export type PdfWorkerResult =
  | { ok: true; pages: string[] }
  | { ok: false; errorName: string; message: string };

/**
 * pdf.js recovers from most errors inside a page and reports them only as warnings, an
 * allocation refused by the memory limit included; the page then comes back empty, which
 * would pass for "no text layer". Its warnings are read here (stdout stays silent) so a
 * page that ran out of memory fails the file instead.
 */
const OUT_OF_MEMORY =
  /RangeError|allocation failed|out of memory|Invalid typed array length|Invalid array length/i;
let outOfMemory: string | null = null;
for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  console[method] = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    if (OUT_OF_MEMORY.test(text)) outOfMemory ??= text.slice(0, 300);
  };
}

async function run(data: Uint8Array): Promise<PdfWorkerResult> {
  outOfMemory = null;
  // verbosity 1 (warnings): they are only read for out-of-memory signs, never printed
  const parser = new PDFParse({ data, verbosity: 1 });
  try {
    const result = await parser.getText();
    if (outOfMemory !== null) return { ok: false, errorName: "OutOfMemory", message: outOfMemory };
    // Sort by page number so pages[i] is page i + 1 whatever order pdf.js reports.
    const pages = [...result.pages].sort((a, b) => a.num - b.num).map((p) => p.text);
    return { ok: true, pages };
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    const oom = err instanceof RangeError || OUT_OF_MEMORY.test(err.message);
    return { ok: false, errorName: oom ? "OutOfMemory" : err.name, message: err.message };
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

const failure = (error: unknown): PdfWorkerResult => ({
  ok: false,
  errorName: "Error",
  message: String(error),
});

if (process.send) {
  const send = process.send.bind(process);
  process.on("message", (job: { id: number; data: Uint8Array }) => {
    run(job.data).then(
      (result) => send({ id: job.id, ...result }),
      (error: unknown) => send({ id: job.id, ...failure(error) }),
    );
  });
  // the parent went away (even killed): don't linger
  process.on("disconnect", () => process.exit(0));
}
