/**
 * One extracted document → cleaned text, metadata, chunks and glossary: the pure part of
 * ingest, composed from the single-purpose modules beside it.
 */
import type { DocumentMeta, ParsedDocument } from "../src/types.js";
import { chunkDocument } from "./chunk.js";
import { cleanDocument } from "./clean.js";
import type { RawDocument } from "./extract.js";
import { mineGlossary } from "./glossary.js";
import { extractMetadata } from "./metadata.js";

export interface ParseContext {
  /** Path relative to the ingested folder. */
  source: string;
  fileName: string;
  sidecar?: Partial<DocumentMeta>;
}

export function parseDocument(raw: RawDocument, ctx: ParseContext): ParsedDocument {
  const cleaned = cleanDocument(raw);
  const meta = extractMetadata(cleaned.text, {
    fileName: ctx.fileName || ctx.source,
    headingHints: cleaned.headingHints,
    ...(ctx.sidecar === undefined ? {} : { sidecar: ctx.sidecar }),
  });
  const chunks = chunkDocument(cleaned.text, {
    headingHints: cleaned.headingHints,
    pageOffsets: cleaned.pageOffsets,
  });
  return {
    meta,
    text: cleaned.text,
    pageCount: raw.format === "pdf" ? raw.pages.length : null,
    pageOffsets: cleaned.pageOffsets,
    chunks,
    glossary: mineGlossary(cleaned.text),
  };
}
