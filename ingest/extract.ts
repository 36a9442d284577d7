/**
 * Reads one document file into raw text: per page for PDFs, whole for text formats.
 * Every reason a file cannot be used becomes a KkrError("PARSE_FAILED", reason) whose
 * message is shown to the user as the skip reason, so it says what is wrong and what to do.
 */
import { readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { KkrError } from "../src/errors.js";
import { binaryReason, decodeText, normalizeText } from "./decode.js";
import { pdfParserPool } from "./pdf-pool.js";

export type RawFormat = "pdf" | "text" | "markdown" | "html";

export interface RawDocument {
  format: RawFormat;
  /** One string per PDF page (pages[i] is page i + 1); a single element for other formats. */
  pages: string[];
}

export interface ExtractOptions {
  maxFileBytes: number;
  parseTimeoutMs: number;
  /** Memory limit of a PDF parser process (KKR_PDF_MAX_MEMORY_MB). */
  pdfMaxMemoryMb?: number;
}

export const DEFAULT_PDF_MAX_MEMORY_MB = 1024;

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
  if (format === "pdf") return { format, pages: await extractPdf(bytes, opts) };

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

async function extractPdf(bytes: Uint8Array, opts: ExtractOptions): Promise<string[]> {
  if (!hasPdfHeader(bytes)) fail("not a PDF (no %PDF header); the file is corrupt or misnamed");
  const memoryMb = opts.pdfMaxMemoryMb ?? DEFAULT_PDF_MAX_MEMORY_MB;
  const result = await pdfParserPool(memoryMb).parse(bytes, opts.parseTimeoutMs);
  if (!result.ok) {
    if (result.errorName === "PasswordException") {
      fail("PDF is encrypted (password-protected); save an unprotected copy to ingest it");
    }
    if (result.errorName === "InvalidPDFException" || result.errorName === "FormatError") {
      fail(
        `PDF is corrupt or truncated (${result.message.replace(/\.$/, "")}); get a fresh copy of the file`,
      );
    }
    if (result.errorName === "OutOfMemory" || result.errorName === "Killed") {
      throw new KkrError(
        "PARSE_FAILED",
        `PDF needs more than ${memoryMb} MB of memory to parse (a decompression bomb, or a very complex file; parser ${result.errorName === "OutOfMemory" ? "ran out of memory" : result.message}); raise KKR_PDF_MAX_MEMORY_MB to try it`,
        { details: { resource: "memory" } },
      );
    }
    if (result.errorName === "NotStarted") fail(`PDF parser could not start: ${result.message}`);
    if (result.errorName === "Timeout") {
      throw new KkrError(
        "PARSE_FAILED",
        `PDF parsing timed out after ${opts.parseTimeoutMs / 1000} s; the file may be malformed or huge (raise KKR_PARSE_TIMEOUT_MS to allow more time)`,
        { details: { resource: "time" } },
      );
    }
    fail(`PDF could not be read: ${result.message}`);
  }
  const pages = result.pages.map((p) => normalizeText(p));
  if (pages.length === 0) fail("PDF has no pages");
  if (pages.every((p) => p.trim() === "")) fail("PDF has no text layer (scanned image?); OCR it first");
  return pages;
}
