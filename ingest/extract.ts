/**
 * Reads one document file into raw text: per page for PDFs, whole for text formats.
 * Every reason a file cannot be used becomes a KkrError("PARSE_FAILED", reason) whose
 * message is shown to the user as the skip reason, so it says what is wrong and what to do.
 */
import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
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
 * A few long-lived PDF worker threads. Each PDF is parsed in one of them, so a PDF that
 * hangs or runs away with memory is killed at the deadline (the worker is terminated and
 * replaced) and the caller just gets a skip reason; healthy workers are reused, which
 * saves loading pdf.js for every file. Idle workers don't keep the process alive.
 */
class PdfWorkerPool {
  private idle: Worker[] = [];
  private busy = 0;
  private queue: (() => void)[] = [];
  private nextId = 1;

  constructor(private readonly size: number) {}

  async parse(bytes: Uint8Array, timeoutMs: number): Promise<PdfWorkerResult> {
    if (this.busy >= this.size) await new Promise<void>((go) => this.queue.push(go));
    this.busy++;
    let worker: Worker;
    try {
      worker = this.idle.pop() ?? this.spawn();
    } catch (error) {
      this.release(null);
      throw new KkrError("PARSE_FAILED", `PDF parser could not start: ${describeError(error)}`, {
        cause: error,
      });
    }
    worker.ref();
    // A private copy we can transfer: the caller's buffer may be shared or still in use.
    const data = new Uint8Array(bytes);
    const id = this.nextId++;
    return new Promise<PdfWorkerResult>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
      };
      const onMessage = (msg: PdfWorkerResult & { id?: number }) => {
        if (msg.id !== id) return;
        cleanup();
        const { id: _id, ...result } = msg;
        this.release(worker);
        resolve(result as PdfWorkerResult);
      };
      const onError = (error: Error & { code?: string }) => {
        cleanup();
        this.release(null);
        reject(
          new KkrError(
            "PARSE_FAILED",
            error.code === "ERR_WORKER_OUT_OF_MEMORY"
              ? "PDF parser ran out of memory; the file is too complex to ingest"
              : `PDF parser crashed: ${error.message}`,
            { cause: error },
          ),
        );
      };
      const timer = setTimeout(() => {
        cleanup();
        void worker.terminate();
        this.release(null);
        reject(
          new KkrError(
            "PARSE_FAILED",
            `PDF parsing timed out after ${timeoutMs / 1000} s; the file may be malformed or huge (raise KKR_PARSE_TIMEOUT_MS to allow more time)`,
          ),
        );
      }, timeoutMs);
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.postMessage({ id, data }, [data.buffer]);
    });
  }

  private spawn(): Worker {
    // Bound the heap so one pathological PDF fails alone instead of taking the process down.
    return createPdfWorker({ resourceLimits: { maxOldGenerationSizeMb: 2048 } });
  }

  /** Back to the idle list (a healthy worker) or gone (null: crashed or killed). */
  private release(worker: Worker | null): void {
    this.busy--;
    if (worker) {
      worker.unref();
      this.idle.push(worker);
    }
    this.queue.shift()?.();
  }
}

const pool = new PdfWorkerPool(Math.max(2, Math.min(4, availableParallelism())));

function runPdfWorker(bytes: Uint8Array, timeoutMs: number): Promise<PdfWorkerResult> {
  return pool.parse(bytes, timeoutMs);
}
