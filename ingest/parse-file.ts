/**
 * One file on disk → a parsed document plus the hash change detection compares. The bytes
 * are read once and used for both, so the hash always matches what was parsed.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { posix } from "node:path";
import { KkrError } from "../src/errors.js";
import { readFileInside } from "../src/files/inside-folder.js";
import type { DocumentMeta, ParsedDocument } from "../src/types.js";
import { checkFileSize, extractBytes } from "./extract.js";
import { parseDocument } from "./parse-document.js";
import type { FoundFile } from "./walk.js";

export interface ParseFileOptions {
  maxFileBytes: number;
  parseTimeoutMs: number;
  sidecar?: Partial<DocumentMeta>;
  /**
   * Real path of the documents folder: the file is read only if it still lies inside
   * (it may have been swapped for a symlink since the walk).
   */
  rootReal?: string;
  /** Memory limit of a PDF parser process (KKR_PDF_MAX_MEMORY_MB). */
  pdfMaxMemoryMb?: number;
  /** Content hashes known to exhaust the parser's memory or time: not parsed again. */
  knownBad?: ReadonlyMap<string, { reason: string; at: string }>;
}

export type ParsedFile = ParsedDocument & { contentHash: string };

/** Throws KkrError("PARSE_FAILED", reason) when the file must be skipped. */
export async function parseFile(file: FoundFile, opts: ParseFileOptions): Promise<ParsedFile> {
  // Checked before reading so an oversized file is never loaded into memory.
  checkFileSize(file.size, opts.maxFileBytes);
  const bytes = opts.rootReal
    ? await readFileInside(opts.rootReal, file.absPath)
    : await readFile(file.absPath);
  const contentHash = createHash("sha256").update(bytes).digest("hex");
  const bad = opts.knownBad?.get(contentHash);
  if (bad) {
    throw new KkrError(
      "PARSE_FAILED",
      `not parsed again: this exact file failed on ${bad.at.slice(0, 10)} (${bad.reason}); a changed file is tried again`,
      { details: { remembered: true } },
    );
  }
  const raw = await extractBytes(bytes, file.absPath, opts).catch((error: unknown) => {
    // a file that ran out of memory or time is remembered by its hash (see pipeline)
    if (error instanceof KkrError && error.details?.resource) {
      throw new KkrError("PARSE_FAILED", error.message, {
        cause: error,
        details: { ...error.details, contentHash },
      });
    }
    throw error;
  });
  const parsed = parseDocument(raw, {
    source: file.source,
    fileName: posix.basename(file.source),
    ...(opts.sidecar === undefined ? {} : { sidecar: opts.sidecar }),
  });
  if (parsed.text.trim() === "") throw new KkrError("PARSE_FAILED", "no text found");
  return { ...parsed, contentHash };
}
