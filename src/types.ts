/** The data model shared by ingest, store, retrieval, answers and transports. */

export const REGIONS = ["Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"] as const;
/** A KKR region, or "all" for documents about all five KKR. */
export type Region = (typeof REGIONS)[number] | "all";

/**
 * What a document is: meeting papers (dagsorden, referat), a calendar of meetings or a
 * "mødemateriale" page (mødeplan), a newsletter, a news article (nyhed), an appointment
 * announcement or member list (udpegning), a folder, an annual report, or any other web page
 * or document (side).
 */
export const DOC_KINDS = [
  "dagsorden",
  "referat",
  "mødeplan",
  "nyhedsbrev",
  "nyhed",
  "udpegning",
  "folder",
  "beretning",
  "side",
] as const;
export type DocKind = (typeof DOC_KINDS)[number];

/**
 * One meeting a document describes: an agenda or minutes describe one, a news article may
 * report one, a calendar page lists many. `start`/`end` delimit the part of the document's
 * cleaned text about this meeting (the whole text for an agenda).
 */
export interface DocumentMeeting {
  /** ISO date (YYYY-MM-DD). */
  date: string;
  /** Who met: "KKR Sjælland", "Sundhedskoordinationsudvalget". */
  body: string;
  /** True for a KKR (kommunekontaktråd) meeting. */
  kkr: boolean;
  /** The KKR region, or the document's region for another body's meeting. */
  region: Region | null;
  /** As written: "9.30 – 12.30", "10:00". */
  time: string | null;
  place: string | null;
  start: number;
  end: number;
}

/** Metadata read from a document's content (file name and sidecar only help). */
export interface DocumentMeta {
  title: string;
  region: Region | null;
  kind: DocKind;
  /** ISO date (YYYY-MM-DD) of the meeting the document is about, when it is about one. */
  meetingDate: string | null;
  /** ISO date, YYYY-MM or YYYY: when the document was published, as precise as the text says. */
  publishedDate: string | null;
  /** Where the meeting took place ("Virtuelt via Teams"), when stated. */
  place: string | null;
  /** Link to the original: a sidecar NAME.json or sources.csv, else a web page's canonical link. */
  url: string | null;
}

/** One ingested document as stored in the `documents` table. */
export interface DocumentRecord extends DocumentMeta {
  /** Stable id derived from `source`. */
  id: string;
  /** Path relative to the ingested folder, with forward slashes. */
  source: string;
  /** sha256 of the file bytes. */
  contentHash: string;
  /** Pages in a PDF; null for other formats. */
  pageCount: number | null;
  /** Start offset of each page in `text` (PDF only; empty otherwise). */
  pageOffsets: number[];
  /** The cleaned full text; chunk offsets and citation quotes point into it. */
  text: string;
  /** Year of the document's date (see documentDate in ingest/pipeline.ts), for filters and stats. */
  year: number | null;
  /** The meetings the document describes, with the part of `text` about each. */
  meetings: DocumentMeeting[];
  size: number;
  mtimeMs: number;
  ingestedAt: string;
}

/** A piece of a document, sized for BM25 and embeddings. */
export interface Chunk {
  /** `${docId}:${ordinal}` */
  id: string;
  docId: string;
  ordinal: number;
  /** Heading path, e.g. "2. Regionalpolitiske sager › 2.3 DK2020 og regional organisering". */
  section: string;
  /** Agenda item number ("2.3") when the chunk is inside one. */
  item: string | null;
  /** 1-based PDF page of the chunk start; null for other formats. */
  page: number | null;
  /** Character offsets into the document's cleaned text: text === doc.text.slice(start, end). */
  start: number;
  end: number;
  text: string;
  /**
   * Where the heading path changes inside the chunk (offsets relative to `start`), so a
   * citation names the section of its quote rather than of the chunk's first line.
   */
  subsections?: { offset: number; section: string; item: string | null }[];
  /** Where a new PDF page begins inside the chunk (offsets relative to `start`). */
  pageBreaks?: { offset: number; page: number }[];
}

/** A chunk as stored: the chunk plus denormalised document fields for filtering and citing. */
export interface ChunkRecord extends Chunk {
  source: string;
  title: string;
  region: Region | null;
  kind: DocKind;
  /** The meeting's date for meeting papers and newsletters, else the publication date. */
  date: string | null;
  year: number | null;
  url: string | null;
  /** What BM25 and the embedder see: title and section path in front of the text. */
  searchText: string;
  vector: number[];
}

/** An acronym mined from the text: "Danmarks Erhvervsfremmebestyrelse DEB". */
export interface GlossaryEntry {
  acronym: string;
  expansion: string;
  docId: string;
  source: string;
  /** The passage the definition was read from. */
  quote: string;
}

/** What the ingest parser produces for one file, before embedding and storing. */
export interface ParsedDocument {
  meta: DocumentMeta;
  text: string;
  pageCount: number | null;
  pageOffsets: number[];
  chunks: Omit<Chunk, "id" | "docId">[];
  glossary: Omit<GlossaryEntry, "docId" | "source">[];
  meetings: DocumentMeeting[];
}

/** A citation as answers carry it; `quote` is an exact substring of the cited chunk. */
export interface Citation {
  n: number;
  source: string;
  title: string;
  kind: DocKind;
  region: Region | null;
  date: string | null;
  section: string;
  item: string | null;
  page: number | null;
  url: string | null;
  quote: string;
  chunkId: string;
}

export type Language = "da" | "en";
