/**
 * What the index holds, document by document, with the metadata ingest read from each:
 * the answer to "which files are indexed and what was made of them" (`kkr docs`).
 */
import type { KkrStore } from "../store/store.js";
import type { DocKind, Region } from "../types.js";

export interface DocumentInfo {
  source: string;
  title: string;
  kind: DocKind;
  region: Region | null;
  publishedDate: string | null;
  meetingDate: string | null;
  place: string | null;
  url: string | null;
  /** PDF pages; null for other formats. */
  pages: number | null;
  chunks: number;
  meetings: { date: string; body: string; time: string | null; place: string | null }[];
}

export interface CatalogFilters {
  /** Only this region ("all" means documents about all five KKR). */
  region?: Region;
  kind?: DocKind;
}

/** Every indexed document with its metadata, sorted by source path. */
export async function listDocumentInfo(
  store: KkrStore,
  filters: CatalogFilters = {},
): Promise<DocumentInfo[]> {
  const [docs, counts] = await Promise.all([store.listDocuments(), store.chunkCounts()]);
  return docs
    .filter(
      (d) => (!filters.region || d.region === filters.region) && (!filters.kind || d.kind === filters.kind),
    )
    .map((d) => ({
      source: d.source,
      title: d.title,
      kind: d.kind,
      region: d.region,
      publishedDate: d.publishedDate,
      meetingDate: d.meetingDate,
      place: d.place,
      url: d.url,
      pages: d.pageCount,
      chunks: counts.get(d.id) ?? 0,
      meetings: d.meetings.map((m) => ({ date: m.date, body: m.body, time: m.time, place: m.place })),
    }))
    .sort((a, b) => a.source.localeCompare(b.source));
}
