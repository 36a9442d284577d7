import type { Schema as ArrowSchema } from "apache-arrow";
import { arrow } from "./arrow.js";

const { Field, FixedSizeList, Float32, Float64, Int32, Schema, Utf8 } = arrow;

/** Bump when the stored layout changes; an older index then asks for --rebuild. */
export const SCHEMA_VERSION = 2;

export const TABLES = {
  meta: "meta",
  documents: "documents",
  chunks: "chunks",
  glossary: "glossary",
  feedback: "feedback",
  badFiles: "bad_files",
  channelSettings: "channel_settings",
} as const;

const str = (name: string, nullable = false) => new Field(name, new Utf8(), nullable);
const i32 = (name: string, nullable = false) => new Field(name, new Int32(), nullable);

// Explicit schemas: inference fails on an all-null column in the first batch.
export const metaSchema = new Schema([str("key"), str("value")]);

export const documentsSchema = new Schema([
  str("id"),
  str("source"),
  str("title"),
  str("region", true),
  str("kind"),
  str("meetingDate", true),
  str("publishedDate", true),
  str("place", true),
  str("url", true),
  str("contentHash"),
  /** contentHash + sidecar + parser version: what decides "unchanged". */
  str("fingerprint"),
  i32("pageCount", true),
  str("pageOffsets"),
  str("text"),
  i32("year", true),
  /** JSON DocumentMeeting[]: the meetings the document describes. */
  str("meetings"),
  new Field("size", new Float64(), false),
  new Field("mtimeMs", new Float64(), false),
  str("ingestedAt"),
]);

export function chunksSchema(dimensions: number): ArrowSchema {
  return new Schema([
    str("id"),
    str("docId"),
    i32("ordinal"),
    str("section"),
    str("item", true),
    i32("page", true),
    i32("start"),
    i32("end"),
    str("text"),
    /** JSON {subsections, pageBreaks}: section and page changes inside the chunk. */
    str("marks"),
    str("source"),
    str("title"),
    str("region", true),
    str("kind"),
    str("date", true),
    i32("year", true),
    str("url", true),
    str("searchText"),
    new Field("vector", new FixedSizeList(dimensions, new Field("item", new Float32(), true)), false),
  ]);
}

export const glossarySchema = new Schema([
  str("id"),
  str("acronym"),
  str("expansion"),
  str("docId"),
  str("source"),
  str("quote"),
]);

export const feedbackSchema = new Schema([
  str("id"),
  str("at"),
  str("user"),
  str("vote"),
  str("question"),
  str("answer"),
  str("citations"),
  str("channel", true),
  str("ts", true),
]);

/**
 * Files that made the parser run out of memory or time, by content hash, so the next
 * start does not parse them again; `limits` records the limits and parser version they
 * failed under (raising a limit, or a new parser, tries them again).
 */
export const badFilesSchema = new Schema([
  str("hash"),
  str("limits"),
  str("source"),
  str("reason"),
  str("at"),
]);
/** Per-channel settings (a channel's default region); kept across --rebuild like feedback. */
export const channelSettingsSchema = new Schema([str("channel"), str("region"), str("setBy"), str("setAt")]);

/** What BM25 and the embedder see: the title and heading path give a chunk its context. */
export function searchTextFor(title: string, section: string, text: string): string {
  return `${title}\n${section}\n${text}`;
}

/** Columns a search's first phase reads: enough to fuse, boost and spread over documents. */
export const CANDIDATE_COLUMNS = ["id", "docId", "start", "end", "region", "kind", "date"] as const;

/**
 * Columns a query reads for a chunk: everything but the vector and searchText, which
 * `searchTextFor` rebuilds from title, section and text.
 */
export const CHUNK_COLUMNS = [
  "id",
  "docId",
  "ordinal",
  "section",
  "item",
  "page",
  "start",
  "end",
  "text",
  "marks",
  "source",
  "title",
  "region",
  "kind",
  "date",
  "year",
  "url",
] as const;
