/**
 * The meetings a document describes, each with the part of the text about it:
 * - an agenda or minutes: its own meeting, the whole text;
 * - a news article or newsletter reporting a KKR meeting ("KKR X holdt møde den …", "på
 *   det konstituerende møde den …", "på KKR Xs møde den …"): that meeting, the whole text;
 * - a page announcing several meetings ("KKR X afholder sit møde den 17. april 2024 kl. …",
 *   each followed by its place and topics): one meeting per announcement, from its line to
 *   the next announcement or heading;
 * - a calendar of meeting dates: one meeting per date line, that line.
 * Meetings of other bodies mentioned in passing ("Vækstforum tager stilling på sit møde den
 * 6. december") are not the document's meetings: a sentence must name a KKR, or the page
 * must be that body's own calendar.
 */
import { type DateMatch, findDates } from "../src/text/dates.js";
import type { DocKind, DocumentMeeting, Region } from "../src/types.js";
import { isKkrBody, kkrIn } from "./body.js";
import { calendarEntries } from "./calendar.js";
import { OTHER_MEETING } from "./doc-dates.js";
import { DATE_LABEL } from "./masthead.js";
import { placeIn, timeIn } from "./place.js";

export interface MeetingContext {
  kind: DocKind;
  region: Region | null;
  /** The document's body ("KKR Sjælland", "Sundhedskoordinationsudvalget"), or null. */
  body: string | null;
  /** An agenda's or minutes' own meeting date (from its masthead). */
  meetingDate: string | null;
  place: string | null;
  time: string | null;
}

/** Verb + "møde (den)" right before a date: "holdt møde den", "afholder sit møde den". */
const HELD =
  /\b(?:holdt|holder|holdes|afholdt|afholder|afholdes|afholdte|havde|har\s+haft|har\s+holdt|har\s+afholdt)\s+(?:sit\s+|et\s+|deres\s+|det\s+)?(?:\p{L}+\s+)?møde(?:t)?\s+(?:\p{L}+dag\s+)?(?:den\s+|d\.\s*)?$/iu;
/** "på (det konstituerende | KKR Syddanmarks) møde (fredag) den": the meeting something happened at. */
const AT_MEETING = /\bpå\s+(?:\S+\s+){0,3}?møde(?:t)?\s+(?:\p{L}+dag\s+)?(?:den\s+|d\.\s*)?$/iu;
/** A line opening with the meeting: "Møde den 17. april", "Konstituerende møde i KKR X den …", "Mødedato: …". */
const LINE_OPENING =
  /^(?:- )?(?:(?:\p{L}+\s+)?møde(?:t)?\s+(?:i\s+[^\n]{1,60}?\s+)?(?:\p{L}+dag\s+)?(?:den\s+|d\.\s*)?|mødedato\s*:\s*(?:\p{L}+dag\s+)?(?:den\s+|d\.\s*)?)$/iu;

interface Announcement {
  date: string;
  body: string;
  region: Region | null;
  /** Start of the line the announcement is on. */
  lineStart: number;
  /** Where the date ends (a place may follow: "… den 26. januar 2023 på Rådhuset i X"). */
  after: number;
}

/** How far a line is looked at around a date; a huge single line costs no more than this. */
const REACH = 600;

function lineStartOf(text: string, i: number): number {
  const from = Math.max(0, i - REACH);
  const nl = text.slice(from, i).lastIndexOf("\n");
  return nl < 0 ? from : from + nl + 1;
}

function lineEndOf(text: string, i: number): number {
  const nl = text.slice(i, i + REACH).indexOf("\n");
  return nl < 0 ? Math.min(text.length, i + REACH) : i + nl;
}

/** The sentence around `i`: from the last sentence end before it to the next one. */
function sentenceAround(text: string, i: number): string {
  const ls = lineStartOf(text, i);
  const before = text.slice(ls, i);
  // A full stop ends a sentence unless it closes a number ("27.") or an abbreviation ("d.", "kl.").
  let start = ls;
  for (const m of before.matchAll(/(?<![\d]|\b(?:d|kl|bl\.a|ca|nr|jf|fx|pkt)|\b\p{L})[.!?]\s+(?=\p{Lu})/gu)) {
    start = ls + m.index + m[0].length;
  }
  const le = lineEndOf(text, i);
  const rest = text.slice(i, le);
  const end = /[.!?](?:\s|$)/.exec(rest);
  return text.slice(start, end ? i + end.index + 1 : le);
}

function announcements(text: string, dates: DateMatch[], ctx: MeetingContext): Announcement[] {
  const out: Announcement[] = [];
  for (const d of dates) {
    if (d.precision !== "day") continue;
    const ls = lineStartOf(text, d.index);
    const before = text.slice(Math.max(ls, d.index - 120), d.index);
    const lineOpening = LINE_OPENING.test(text.slice(ls, d.index));
    if (!lineOpening && !HELD.test(before) && !AT_MEETING.test(before)) continue;
    const clause = before.slice(Math.max(before.lastIndexOf("."), 0));
    if (OTHER_MEETING.test(clause)) continue;
    const sentence = sentenceAround(text, d.index);
    const kkr = kkrIn(sentence, ctx.region);
    // A line opening with the meeting belongs to the page's own body.
    const body = kkr ?? (lineOpening ? ctx.body : null);
    if (!body) continue;
    const region = isKkrBody(body) ? (regionOfKkr(body) ?? ctx.region) : ctx.region;
    out.push({ date: d.iso, body, region, lineStart: ls, after: d.index + d.length });
  }
  return out;
}

const regionOfKkr = (body: string): Region | null => {
  const r = body.replace(/^KKR\s*/, "");
  return r === "" ? null : (r as Region);
};

/** "… den 26. januar 2023 på Rådhuset i Silkeborg": a place right after the date. */
function placeAfterAnnouncement(text: string, after: number): string | null {
  const rest = text.slice(after, lineEndOf(text, after));
  const m =
    /^\s*(?:,\s*)?(?:kl\.?\s*[\d.:]+(?:\s*[-–]\s*[\d.:]+)?\s*,?\s*)?(?:på|i|hos)\s+(\p{Lu}[^.;:\n]{2,80}?)(?=[.;:]|\s+(?:hvor|og|med|for|blev|valgte|drøftede|besluttede)\s|$)/u.exec(
      rest,
    );
  const place = m?.[1]?.trim();
  if (!place || /^(?:KKR|Region|Kommunekontaktråd)\b/.test(place)) return null;
  return place;
}

/**
 * A heading between two parts of a page ("Mødemateriale 2023"): a few words alone between
 * blank lines, without punctuation; "Mødet finder sted i X, Vej 15, i By" is a sentence.
 */
function headingAt(lines: string[], k: number): boolean {
  const t = lines[k]?.trim() ?? "";
  return (
    t !== "" &&
    t.length <= 80 &&
    t.split(/\s+/).length <= 6 &&
    !/[.,:;!?]/.test(t) &&
    !/^mødet\b/i.test(t) &&
    !/^- /.test(t) &&
    (lines[k - 1]?.trim() ?? "") === "" &&
    (lines[k + 1]?.trim() ?? "") === ""
  );
}

/** Where the part of the page about an announced meeting ends. */
function blockEnd(text: string, from: number, nextStart: number): number {
  const firstLineEnd = lineEndOf(text, from);
  const lines = text.slice(firstLineEnd, nextStart).split("\n");
  let pos = firstLineEnd;
  for (let k = 0; k < lines.length; k++) {
    // A heading, or the page's own "Sidst opdateret: …" line, ends the part.
    if (k > 0 && (headingAt(lines, k) || DATE_LABEL.test(lines[k]?.trim() ?? ""))) return trimEnd(text, pos);
    pos += (lines[k]?.length ?? 0) + 1;
  }
  return trimEnd(text, Math.min(nextStart, text.length));
}

function trimEnd(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text.charAt(e - 1))) e--;
  return e;
}

const meeting = (
  a: { date: string; body: string; region: Region | null },
  extra: Pick<DocumentMeeting, "time" | "place" | "start" | "end">,
): DocumentMeeting => ({ date: a.date, body: a.body, kkr: isKkrBody(a.body), region: a.region, ...extra });

export function findMeetings(text: string, ctx: MeetingContext): DocumentMeeting[] {
  if (ctx.kind === "dagsorden" || ctx.kind === "referat") {
    if (!ctx.meetingDate || !ctx.body) return [];
    return [
      meeting(
        { date: ctx.meetingDate, body: ctx.body, region: ctx.region },
        { time: ctx.time, place: ctx.place, start: 0, end: text.length },
      ),
    ];
  }
  const dates = findDates(text);
  const found = announcements(text, dates, ctx);
  const listed = calendarEntries(text, dates, ctx.kind === "mødeplan");
  const distinct = [...new Set(found.map((a) => `${a.body}|${a.date}`))];
  const out: DocumentMeeting[] = [];
  const seen = new Set<string>();
  const onePiece = ctx.kind !== "mødeplan" && listed.length === 0 && distinct.length === 1;
  if (onePiece && found[0]) {
    // A news article or newsletter about one meeting: the whole text is about it.
    const a = found[0];
    return [
      meeting(a, {
        time: timeIn(text.slice(a.lineStart, lineEndOf(text, a.after))),
        place: placeAfterAnnouncement(text, a.after) ?? placeIn(text),
        start: 0,
        end: text.length,
      }),
    ];
  }
  // Several: each from its line to the next announcement's line or a heading.
  const starts = [...new Set(found.map((a) => a.lineStart))].sort((x, y) => x - y);
  for (const a of found) {
    const key = `${a.body}|${a.date}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const next = starts.find((s) => s > a.lineStart) ?? text.length;
    const end = blockEnd(text, a.lineStart, next);
    const part = text.slice(a.lineStart, end);
    out.push(
      meeting(a, {
        time: timeIn(part),
        place: placeAfterAnnouncement(text, a.after) ?? placeIn(part),
        start: a.lineStart,
        end,
      }),
    );
  }
  const fallbackBody = ctx.body;
  for (const e of listed) {
    const body = e.body ?? fallbackBody;
    if (!body) continue;
    const key = `${body}|${e.date}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      meeting(
        { date: e.date, body, region: ctx.region },
        { time: e.time, place: e.place, start: e.start, end: e.end },
      ),
    );
  }
  return out.sort((x, y) => x.date.localeCompare(y.date) || x.start - y.start);
}
