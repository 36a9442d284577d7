/**
 * Reads one document file into raw text: per page for PDFs, whole for text formats.
 * Every reason a file cannot be used becomes a KkrError("PARSE_FAILED", reason) whose
 * message is shown to the user as the skip reason, so it says what is wrong and what to do.
 */
import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";
import { describeError, KkrError } from "../src/errors.js";
import { binaryReason, decodeText, normalizeText } from "./decode.js";
import type { PdfWorkerResult } from "./pdf-worker.js";

export type RawFormat = "pdf" | "text" | "markdown" | "html";

export interface RawDocument {
  format: RawFormat;
  /** One string per PDF page (pages[i] is page i + 1); a single element for other formats. */
  pages: string[];
}

export interface ExtractOptions {
  maxFileBytes: number;
  parseTimeoutMs: number;
}

/** Supported extensions (lower case, with dot) and the format each is read as. */
export const FORMAT_BY_EXTENSION: ReadonlyMap<string, RawFormat> = new Map([
  [".pdf", "pdf"],
  [".txt", "text"],
  [".md", "markdown"],
  [".markdown", "markdown"],
  [".html", "html"],
  [".htm", "html"],
]);

/** The format for a file name, or null when the extension is not supported. */
export function formatForPath(path: string): RawFormat | null {
  return FORMAT_BY_EXTENSION.get(extname(path).toLowerCase()) ?? null;
}

export function unsupportedReason(path: string): string {
  const ext = extname(path).toLowerCase();
  return ext === "" ? "unsupported file type (no extension)" : `unsupported file type ${ext}`;
}

function fail(reason: string, cause?: unknown): never {
  throw new KkrError("PARSE_FAILED", reason, cause === undefined ? undefined : { cause });
}

const mb = (bytes: number) => {
  const v = bytes / (1024 * 1024);
  return `${v >= 10 ? Math.round(v) : Math.round(v * 10) / 10} MB`;
};

/** Throws the skip reason for an empty or oversized file; checked before reading it. */
export function checkFileSize(size: number, maxFileBytes: number): void {
  if (size === 0) fail("file is empty (0 bytes)");
  if (size > maxFileBytes) {
    fail(`file is ${mb(size)}, over the ${mb(maxFileBytes)} size cap; raise KKR_MAX_FILE_MB to ingest it`);
  }
}

/** Reads and extracts a file from disk. */
export async function extractFile(absPath: string, opts: ExtractOptions): Promise<RawDocument> {
  if (formatForPath(absPath) === null) fail(unsupportedReason(absPath));
  const info = await stat(absPath);
  checkFileSize(info.size, opts.maxFileBytes);
  return extractBytes(await readFile(absPath), absPath, opts);
}

/** Extracts already-read bytes; `name` (a path or file name) picks the format by extension. */
export async function extractBytes(
  bytes: Uint8Array,
  name: string,
  opts: ExtractOptions,
): Promise<RawDocument> {
  const format = formatForPath(name);
  if (format === null) fail(unsupportedReason(name));
  checkFileSize(bytes.length, opts.maxFileBytes);
  if (format === "pdf") return { format, pages: await extractPdf(bytes, opts.parseTimeoutMs) };

  const { text } = decodeText(bytes);
  const junk = binaryReason(text);
  if (junk) fail(`not a text file: ${junk}`);
  return { format, pages: [text] };
}

/** Starts with "%PDF-" (allowing some leading garbage, as readers do). */
function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString("latin1");
  return head.includes("%PDF-");
}

// Same extension as this module: .ts under tsx (tests, bench), .js when compiled to dist/.
const moduleExt = extname(fileURLToPath(import.meta.url));
const workerUrl = new URL(`./pdf-worker${moduleExt}`, import.meta.url);

/**
 * Worker threads do not inherit tsx's loader hooks (tsx issue #354), so under tsx the
 * worker starts from a tiny JS bootstrap that registers tsx and then imports the .ts entry.
 */
function createPdfWorker(options: WorkerOptions): Worker {
  const tsxApi = moduleExt === ".ts" ? tryResolve("tsx/esm/api") : null;
  // Compiled, or .ts without tsx (a runtime that strips types itself): load the entry directly.
  if (tsxApi === null) return new Worker(workerUrl, options);
  // pdf-parse and pdf.js's worker code are plain JS: loading them before tsx hooks in saves
  // about a second per PDF that tsx would spend transforming pdf.js.
  const preload = [import.meta.resolve("pdf-parse"), pdfJsWorkerUrl()].filter((u) => u !== null);
  const bootstrap = [
    "(async () => {",
    ...preload.map((u) => `  await import(${JSON.stringify(u)});`),
    `  (await import(${JSON.stringify(tsxApi)})).register();`,
    `  await import(${JSON.stringify(workerUrl.href)});`,
    "})();",
  ].join("\n");
  return new Worker(bootstrap, { ...options, eval: true });
}

function tryResolve(specifier: string): string | null {
  try {
    return import.meta.resolve(specifier);
  } catch {
    return null;
  }
}

/** The pdf.js worker module pdf-parse would load lazily (it sets globalThis.pdfjsWorker). */
function pdfJsWorkerUrl(): string | null {
  try {
    const require = createRequire(fileURLToPath(import.meta.resolve("pdf-parse")));
    return pathToFileURL(require.resolve("pdfjs-dist/legacy/build/pdf.worker.mjs")).href;
  } catch {
    return null; // only an optimisation
  }
}

async function extractPdf(bytes: Uint8Array, timeoutMs: number): Promise<string[]> {
  if (!hasPdfHeader(bytes)) fail("not a PDF (no %PDF header); the file is corrupt or misnamed");
  const result = await runPdfWorker(bytes, timeoutMs);
  if (!result.ok) {
    if (result.errorName === "PasswordException") {
      fail("PDF is encrypted (password-protected); save an unprotected copy to ingest it");
    }
    if (result.errorName === "InvalidPDFException" || result.errorName === "FormatError") {
      fail(
        `PDF is corrupt or truncated (${result.message.replace(/\.$/, "")}); get a fresh copy of the file`,
      );
    }
    fail(`PDF could not be read: ${result.message}`);
  }
  const pages = result.pages.map((p) => normalizeText(p));
  if (pages.length === 0) fail("PDF has no pages");
  if (pages.every((p) => p.trim() === "")) fail("PDF has no text layer (scanned image?); OCR it first");
  return pages;
}

/**
 * Parses in a worker thread so a PDF that hangs or runs away with memory is killed at the
 * deadline; the caller just gets a skip reason and the run goes on.
 */
function runPdfWorker(bytes: Uint8Array, timeoutMs: number): Promise<PdfWorkerResult> {
  // A private copy we can transfer: the caller's buffer may be shared or still in use.
  const data = new Uint8Array(bytes);
  return new Promise<PdfWorkerResult>((resolve, reject) => {
    let settled = false;
    let worker: Worker;
    try {
      worker = createPdfWorker({
        workerData: { data },
        transferList: [data.buffer],
        // Bound the heap so one pathological PDF fails alone instead of taking the process down.
        resourceLimits: { maxOldGenerationSizeMb: 2048 },
        stdout: true,
        stderr: true,
      });
    } catch (error) {
      reject(
        new KkrError("PARSE_FAILED", `PDF parser could not start: ${describeError(error)}`, { cause: error }),
      );
      return;
    }
    // Any pdf.js chatter is drained and dropped: stdout is reserved for results (--json).
    worker.stdout.resume();
    worker.stderr.resume();
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      void worker.terminate();
    };
    const timer = setTimeout(() => {
      finish(() =>
        reject(
          new KkrError(
            "PARSE_FAILED",
            `PDF parsing timed out after ${timeoutMs / 1000} s; the file may be malformed or huge (raise KKR_PARSE_TIMEOUT_MS to allow more time)`,
          ),
        ),
      );
    }, timeoutMs);
    worker.once("message", (msg: PdfWorkerResult) => finish(() => resolve(msg)));
    worker.once("error", (error: Error & { code?: string }) =>
      finish(() =>
        reject(
          new KkrError(
            "PARSE_FAILED",
            error.code === "ERR_WORKER_OUT_OF_MEMORY"
              ? "PDF parser ran out of memory; the file is too complex to ingest"
              : `PDF parser crashed: ${error.message}`,
            { cause: error },
          ),
        ),
      ),
    );
    worker.once("exit", (code) =>
      finish(() => reject(new KkrError("PARSE_FAILED", `PDF parser exited unexpectedly (code ${code})`))),
    );
  });
}
