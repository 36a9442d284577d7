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
  const { meta, meetings } = extractMetadata(cleaned.text, {
    fileName: ctx.fileName || ctx.source,
    headingHints: cleaned.headingHints,
    webMeta: cleaned.webMeta,
    ...(ctx.sidecar === undefined ? {} : { sidecar: ctx.sidecar }),
  });
  // A meeting's part of a page starts and ends a chunk, so no chunk mixes two meetings.
  const boundaries = meetings
    .filter((m) => m.start > 0 || m.end < cleaned.text.length)
    .filter((m) => cleaned.text.slice(m.start, m.end).includes("\n"))
    .flatMap((m) => [m.start, m.end]);
  const chunks = chunkDocument(cleaned.text, {
    headingHints: cleaned.headingHints,
    pageOffsets: cleaned.pageOffsets,
    boundaries,
  });
  return {
    meta,
    text: cleaned.text,
    pageCount: raw.format === "pdf" ? raw.pages.length : null,
    pageOffsets: cleaned.pageOffsets,
    chunks,
    glossary: mineGlossary(cleaned.text),
    meetings,
  };
}
