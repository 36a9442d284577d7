/**
 * Meetings derived from the index: a meeting is one KKR region on one date, with the
 * documents about it (agenda, minutes, and the newsletter written after it, which carries
 * the date of the meeting it reports on as its meetingDate).
 */

import type { KkrStore, StoredDocument } from "../store/store.js";
import { findDates } from "../text/dates.js";
import { regionSlug } from "../text/regions.js";
import type { DocKind, Region } from "../types.js";

export interface MeetingDocument {
  id: string;
  source: string;
  title: string;
  kind: DocKind;
  /** meetingDate ?? publishedDate of the document. */
  date: string | null;
  publishedDate: string | null;
  url: string | null;
}

export interface Meeting {
  /** Stable, typeable id: "syddanmark-2020-11-11". */
  id: string;
  region: Region;
  /** ISO date of the meeting (YYYY-MM-DD). */
  date: string;
  /** Where it was held, when a document says so. */
  place: string | null;
  /** Agenda first, then minutes, then newsletters. */
  documents: MeetingDocument[];
}

export interface ListMeetingsOptions {
  region?: Region;
  year?: number;
}

type ListedDocument = Omit<StoredDocument, "text">;

const KIND_ORDER: DocKind[] = ["dagsorden", "referat", "nyhedsbrev", "folder", "beretning", "other"];
const DAY_ISO = /^\d{4}-\d{2}-\d{2}$/;

export const meetingId = (region: Region, date: string) => `${regionSlug(region)}-${date}`;

/**
 * Groups documents into meetings (pure; `listMeetings` feeds it from the store). Only
 * documents with a region and a day-precise meeting date belong to a meeting. Sorted
 * newest first, then by region.
 */
export function meetingsFromDocuments(docs: ListedDocument[]): Meeting[] {
  const byId = new Map<string, Meeting>();
  for (const d of docs) {
    if (!d.region || !d.meetingDate || !DAY_ISO.test(d.meetingDate)) continue;
    const id = meetingId(d.region, d.meetingDate);
    let m = byId.get(id);
    if (!m) {
      m = { id, region: d.region, date: d.meetingDate, place: null, documents: [] };
      byId.set(id, m);
    }
    m.documents.push({
      id: d.id,
      source: d.source,
      title: d.title,
      kind: d.kind,
      date: d.meetingDate,
      publishedDate: d.publishedDate,
      url: d.url,
    });
    // The agenda's "Sted:" is authoritative; minutes or a newsletter only fill a gap.
    if (d.place && (!m.place || d.kind === "dagsorden")) m.place = d.place;
  }
  const meetings = [...byId.values()];
  for (const m of meetings) {
    m.documents.sort(
      (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.source.localeCompare(b.source),
    );
  }
  return meetings.sort((a, b) => b.date.localeCompare(a.date) || a.region.localeCompare(b.region));
}

/**
 * The meeting a newsletter reports on, read from its text ("KKR Sjælland holdt møde den
 * 7. september 2020"), for newsletters ingested without a meetingDate.
 */
export function meetingDateFromText(text: string): string | null {
  const head = text.slice(0, 1500);
  const re = /\b(?:holdt|afholdt|afholdte|havde)\s+(?:sit\s+)?møde\s+(?:den\s+|d\.\s*)?/gi;
  for (const m of head.matchAll(re)) {
    const after = head.slice(m.index + m[0].length, m.index + m[0].length + 40);
    const date = findDates(after)[0];
    if (date && date.index === 0 && date.precision === "day") return date.iso;
  }
  return null;
}

/** Meetings in the index, newest first, optionally for one region and/or year. */
export async function listMeetings(store: KkrStore, options: ListMeetingsOptions = {}): Promise<Meeting[]> {
  const docs = await store.listDocuments();
  const filled: ListedDocument[] = [];
  for (const d of docs) {
    if (d.kind === "nyhedsbrev" && d.region && !d.meetingDate) {
      const full = await store.getDocument(d.id);
      const date = full ? meetingDateFromText(full.text) : null;
      filled.push(date ? { ...d, meetingDate: date } : d);
    } else filled.push(d);
  }
  return meetingsFromDocuments(filled).filter(
    (m) =>
      (!options.region || options.region === "all" || m.region === options.region) &&
      (!options.year || m.date.startsWith(`${options.year}-`)),
  );
}
