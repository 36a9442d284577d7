/**
 * Meetings derived from the index: a meeting is one body (a KKR, or another body such as a
 * sundhedskoordinationsudvalg) in one region on one date, with the documents about it —
 * its agenda and minutes, the newsletter or news article reporting it, the calendar page
 * listing it — and, per document, the part of its text about this meeting (a calendar page
 * describes many meetings; each gets only its own section).
 */

import type { KkrStore, StoredDocument } from "../store/store.js";
import { fold } from "../text/fold.js";
import { regionSlug } from "../text/regions.js";
import { DOC_KINDS, type DocKind, type DocumentMeeting, type Region } from "../types.js";

export interface MeetingDocument {
  id: string;
  source: string;
  title: string;
  kind: DocKind;
  /** The meeting's date as this document gives it. */
  date: string | null;
  publishedDate: string | null;
  url: string | null;
  /** The part of the document's text about this meeting (offsets into it); null = all of it. */
  section: { start: number; end: number } | null;
}

export interface Meeting {
  /** Stable, typeable id: "syddanmark-2020-11-11", "syddanmark-sundhedskoordinationsudvalget-2022-03-08". */
  id: string;
  region: Region;
  /** Who met: "KKR Syddanmark", "Sundhedskoordinationsudvalget". */
  body: string;
  /** True for a KKR meeting. */
  kkr: boolean;
  /** ISO date of the meeting (YYYY-MM-DD). */
  date: string;
  /** As written: "9.30 – 12.30". */
  time: string | null;
  /** Where it was held, when a document says so. */
  place: string | null;
  /** Agenda first, then minutes, calendars, newsletters, news, … */
  documents: MeetingDocument[];
}

export interface ListMeetingsOptions {
  region?: Region;
  year?: number;
}

type ListedDocument = Omit<StoredDocument, "text">;

/** Documents of a meeting are listed in the order of DOC_KINDS (agenda, minutes, calendar, …). */
const KIND_ORDER: readonly DocKind[] = DOC_KINDS;
const DAY_ISO = /^\d{4}-\d{2}-\d{2}$/;

const bodySlug = (body: string) =>
  fold(body)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

/** "syddanmark-2020-11-11" for a KKR meeting; "syddanmark-sundhedskoordinationsudvalget-2022-03-08" for another body's. */
export const meetingId = (region: Region, date: string, body?: string | null) =>
  body && !/^KKR\b/.test(body)
    ? `${regionSlug(region)}-${bodySlug(body)}-${date}`
    : `${regionSlug(region)}-${date}`;

/** "KKR Syddanmark" / "Sundhedskoordinationsudvalget (Syddanmark)". */
export const meetingName = (m: Pick<Meeting, "body" | "kkr" | "region">) =>
  m.kkr ? m.body : m.region === "all" ? m.body : `${m.body} (${m.region})`;

/** A document indexed before meetings were stored: its agenda/minutes/newsletter date, a KKR meeting. */
function legacyMeetings(d: ListedDocument): DocumentMeeting[] {
  if (!d.region || !d.meetingDate || !DAY_ISO.test(d.meetingDate)) return [];
  const body = d.region === "all" ? "KKR" : `KKR ${d.region}`;
  return [
    {
      date: d.meetingDate,
      body,
      kkr: true,
      region: d.region,
      time: null,
      place: d.place,
      start: 0,
      end: Number.POSITIVE_INFINITY,
    },
  ];
}

/**
 * Groups the documents' meetings (pure; `listMeetings` feeds it from the store). A meeting
 * needs a region (its own or its document's) and a day-precise date. Sorted newest first,
 * then by region and body.
 */
export function meetingsFromDocuments(docs: ListedDocument[]): Meeting[] {
  const byId = new Map<string, Meeting>();
  for (const d of docs) {
    const described = d.meetings?.length ? d.meetings : legacyMeetings(d);
    for (const dm of described) {
      const region = dm.region ?? d.region;
      if (!region || !DAY_ISO.test(dm.date)) continue;
      const id = meetingId(region, dm.date, dm.body);
      let m = byId.get(id);
      if (!m) {
        m = { id, region, body: dm.body, kkr: dm.kkr, date: dm.date, time: null, place: null, documents: [] };
        byId.set(id, m);
      }
      if (m.documents.some((x) => x.id === d.id)) continue;
      const whole = !Number.isFinite(dm.end);
      m.documents.push({
        id: d.id,
        source: d.source,
        title: d.title,
        kind: d.kind,
        date: dm.date,
        publishedDate: d.publishedDate,
        url: d.url,
        section: whole ? null : { start: dm.start, end: dm.end },
      });
      // The agenda's "Sted:" is authoritative; other documents only fill a gap.
      if (dm.place && (!m.place || d.kind === "dagsorden")) m.place = dm.place;
      if (dm.time && (!m.time || d.kind === "dagsorden")) m.time = dm.time;
    }
  }
  const meetings = [...byId.values()];
  for (const m of meetings) {
    m.documents.sort(
      (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.source.localeCompare(b.source),
    );
  }
  return meetings.sort(
    (a, b) =>
      b.date.localeCompare(a.date) || a.region.localeCompare(b.region) || a.body.localeCompare(b.body),
  );
}

/** Meetings in the index, newest first, optionally for one region and/or year. */
export async function listMeetings(store: KkrStore, options: ListMeetingsOptions = {}): Promise<Meeting[]> {
  return meetingsFromDocuments(await store.listDocuments()).filter(
    (m) =>
      (!options.region || options.region === "all" || m.region === options.region) &&
      (!options.year || m.date.startsWith(`${options.year}-`)),
  );
}
