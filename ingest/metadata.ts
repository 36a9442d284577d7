/**
 * Document metadata read from the cleaned text: title, KKR region, kind, meeting and
 * publication dates, meeting place, and the meetings the document describes. A web page's
 * own statements (title, date, canonical url) come first, then the text; the file name can
 * tip a close call but is never needed; a sidecar's fields override what was read.
 */
import { detectRegions, type RegionForm } from "../src/text/regions.js";
import { type DocKind, type DocumentMeeting, type DocumentMeta, REGIONS, type Region } from "../src/types.js";
import { documentBody } from "./body.js";
import type { HeadingHint } from "./clean.js";
import { detectPublishedDate, mastheadMeetingDate } from "./doc-dates.js";
import { findMeetings } from "./find-meetings.js";
import { detectKind } from "./kind.js";
import { HEAD_CHARS, headLines } from "./masthead.js";
import { placeAfterDate, placeIn, timeIn } from "./place.js";
import { composeTitle, detectTitle, ownTitle } from "./title.js";
import type { WebPageMeta } from "./web-page.js";

export { composeTitle, detectKind, detectPublishedDate };

export interface MetadataContext {
  fileName: string;
  headingHints: HeadingHint[];
  sidecar?: Partial<DocumentMeta>;
  webMeta?: WebPageMeta | null;
}

const FORM_WEIGHT: Record<RegionForm, number> = { kkr: 3, region: 2, name: 1, adjective: 1, subarea: 0.3 };
const ALL_KKR =
  /(?<![\p{L}])(?:de|alle|samtlige|the|all)\s+(?:fem|5|five)\s+KKR|(?<![\p{L}])alle\s+KKR(?![\p{L}])|kommunekontaktrådene/giu;

/** The region a document is about: the most (and earliest) mentioned, or "all" for the five KKR together. */
export function detectDocumentRegion(text: string, fileName = ""): Region | null {
  const scores = new Map<Region, number>();
  const head = Math.min(HEAD_CHARS, Math.max(500, text.length * 0.1));
  const add = (r: Region, w: number, index: number) =>
    scores.set(r, (scores.get(r) ?? 0) + w * (index < head ? 2 : 1));
  for (const m of detectRegions(text)) add(m.region, FORM_WEIGHT[m.form], m.index);
  for (const m of text.matchAll(ALL_KKR)) add("all", 3, m.index);
  for (const m of detectRegions(fileName.replace(/[-_.]+/g, " "))) add(m.region, 2, Number.POSITIVE_INFINITY);
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const [top, second] = ranked;
  if (!top) return /\bKKR\b|kommunekontaktråd/i.test(text) ? "all" : null;
  // Three or more regions with real weight: an overview of all five, not one KKR's document.
  const strong = ranked.filter(([r, s]) => r !== "all" && s >= top[1] * 0.3 && s >= 4).length;
  if (strong >= 3) return "all";
  if (top[1] < 1 && (!second || second[1] < 1)) return "all";
  return top[0];
}

/** The meeting date an agenda or minutes states; other kinds' meetings come from findMeetings. */
export function detectMeetingDate(text: string, kind: DocKind): string | null {
  if (kind === "dagsorden" || kind === "referat") return mastheadMeetingDate(text);
  const meetings = findMeetings(text, {
    kind,
    region: null,
    body: "KKR",
    meetingDate: null,
    place: null,
    time: null,
  });
  return singleDate(meetings);
}

function singleDate(meetings: DocumentMeeting[]): string | null {
  const dates = [...new Set(meetings.map((m) => m.date))];
  return dates.length === 1 ? (dates[0] ?? null) : null;
}

/** The place of an agenda's meeting: its "Sted:" line, "Mødet afholdes i …", or a dated title line. */
export function detectPlace(text: string): string | null {
  const head = text.slice(0, HEAD_CHARS);
  const labelled = placeIn(head);
  if (labelled) return labelled;
  for (const { text: line } of headLines(text, 600, 3)) {
    const p = placeAfterDate(line);
    if (p) return p;
  }
  return null;
}

const isRegion = (v: unknown): v is Region =>
  v === "all" || (typeof v === "string" && (REGIONS as readonly string[]).includes(v));

/** Reads "other" (the kind of older sidecars and indexes) as "side". */
export function normalizeKind(kind: string | null | undefined): DocKind {
  return kind === "other" || !kind ? "side" : (kind as DocKind);
}

export interface ExtractedMetadata {
  meta: DocumentMeta;
  meetings: DocumentMeeting[];
}

/** Metadata and meetings for one cleaned document; sidecar fields that are set win. */
export function extractMetadata(text: string, ctx: MetadataContext): ExtractedMetadata {
  const side = ctx.sidecar ?? {};
  const web = ctx.webMeta ?? null;
  const kind = side.kind
    ? normalizeKind(side.kind)
    : detectKind(text, ctx.fileName, web?.publishedDate ?? null);
  const region =
    side.region !== undefined && (side.region === null || isRegion(side.region))
      ? side.region
      : detectDocumentRegion(text, ctx.fileName);
  const own = web?.title ?? ownTitle(text, ctx.headingHints);
  const body = documentBody(own, text, region);
  const mastheadDate = kind === "dagsorden" || kind === "referat" ? mastheadMeetingDate(text) : null;
  const mastheadPlace = kind === "mødeplan" ? null : detectPlace(text);
  const meetings = findMeetings(text, {
    kind,
    region,
    body,
    meetingDate: side.meetingDate ?? mastheadDate,
    place: side.place ?? mastheadPlace,
    time: timeIn(text.slice(0, HEAD_CHARS)),
  });
  const meetingDate =
    side.meetingDate !== undefined ? side.meetingDate : (mastheadDate ?? singleDate(meetings));
  const publishedDate =
    side.publishedDate !== undefined
      ? side.publishedDate
      : detectPublishedDate(text, kind, web?.publishedDate ?? null);
  const single = meetings.length === 1 ? meetings[0] : undefined;
  const meetingPapers = kind === "dagsorden" || kind === "referat";
  const place =
    side.place !== undefined ? side.place : (single?.place ?? (meetingPapers ? mastheadPlace : null));
  const title =
    side.title !== undefined && side.title !== null && side.title.trim() !== ""
      ? side.title.trim()
      : detectTitle({ region, kind, meetingDate, publishedDate }, own, body, ctx.fileName);
  const url = side.url !== undefined ? side.url : (web?.url ?? null);
  return { meta: { title, region, kind, meetingDate, publishedDate, place, url }, meetings };
}
