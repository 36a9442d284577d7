/**
 * Free-text meeting references in Danish or English → one meeting: "KKR Syddanmark 11.
 * november 2020", "seneste møde i KKR Sjælland", "Syddanmark november 2020", "the
 * September 2020 meeting in Sjælland", "last Sjælland meeting", "Sundhedskoordinationsudvalget
 * marts 2022", or an id "syddanmark-2020-11-11". A reference that names nothing a meeting
 * can be told by (no region, body, date or "latest") is unknown, not ambiguous.
 */
import { KkrError } from "../errors.js";
import { detectLanguage } from "../retrieval/language.js";
import type { KkrStore } from "../store/store.js";
import { bodiesIn, sameBody } from "../text/bodies.js";
import { type DatePrecision, findDates, formatDanishDate, formatEnglishDate } from "../text/dates.js";
import { detectRegions } from "../text/regions.js";
import type { DocKind, Language, Region } from "../types.js";
import { listMeetings, type Meeting, meetingName } from "./meetings.js";

export interface MeetingRef {
  text: string;
  language: Language;
  /** Meeting id typed as is ("syddanmark-2020-11-11"). */
  id: string | null;
  regions: Region[];
  date: { iso: string; precision: DatePrecision } | null;
  /** A month named without a year ("mødet i november"): 1–12. */
  month: number | null;
  /** 0 = the latest ("seneste", "last"), 1 = the one before ("forrige", "previous"); null = not asked. */
  back: number | null;
  /** The reference says KKR ("KKR Sjælland", "kommunekontaktrådet"). */
  kkr: boolean;
  /** Other bodies it names ("Sundhedskoordinationsudvalget"). */
  bodies: string[];
}

export type MeetingMatch =
  | { status: "found"; meeting: Meeting }
  | { status: "ambiguous"; candidates: Meeting[] }
  | { status: "not_found"; available: Meeting[] };

const LATEST =
  /(?<![\p{L}])(?:seneste|sidste|nyeste|senest afholdte|latest|last|most recent|newest|recent)(?![\p{L}])/iu;
const PREVIOUS =
  /(?<![\p{L}])(?:forrige|næstsidste|næstseneste|previous|second[- ]to[- ]last|prior)(?![\p{L}])/iu;
const ID_RE =
  /(?<![\p{L}\p{N}])(hovedstaden|sjaelland|syddanmark|midtjylland|nordjylland|all)-(\d{4}-\d{2}-\d{2})(?!\d)/iu;

// Month names without a year; "may"/"maj" are left out as they are also ordinary words.
const MONTHS: Record<string, number> = {
  januar: 1,
  january: 1,
  februar: 2,
  february: 2,
  marts: 3,
  march: 3,
  april: 4,
  juni: 6,
  june: 6,
  juli: 7,
  july: 7,
  august: 8,
  september: 9,
  oktober: 10,
  october: 10,
  november: 11,
  december: 12,
};
const MONTH_RE = new RegExp(`(?<![\\p{L}])(${Object.keys(MONTHS).join("|")})(?![\\p{L}])`, "iu");

/** Reads region, date, month and "latest/previous" out of a meeting reference. */
export function parseMeetingRef(text: string): MeetingRef {
  const ref = text.normalize("NFC").trim();
  const idMatch = ID_RE.exec(ref);
  const mentions = detectRegions(ref);
  // "Fyn" alone says little about which KKR is meant; use sub-areas only when nothing else is named.
  const strong = mentions.filter((m) => m.form !== "subarea");
  const regions = [...new Set((strong.length > 0 ? strong : mentions).map((m) => m.region as Region))];
  const date = findDates(ref, { bareYears: true })[0] ?? null;
  const monthWord = date ? null : MONTH_RE.exec(ref)?.[1];
  return {
    text: ref,
    language: detectLanguage(ref),
    id: idMatch ? `${idMatch[1]?.toLowerCase()}-${idMatch[2]}` : null,
    regions,
    date: date ? { iso: date.iso, precision: date.precision } : null,
    month: monthWord ? (MONTHS[monthWord.toLowerCase()] ?? null) : null,
    back: PREVIOUS.test(ref) ? 1 : LATEST.test(ref) ? 0 : null,
    kkr: /(?<![\p{L}])kkr|kommunekontaktråd/iu.test(ref),
    bodies: bodiesIn(ref, true),
  };
}

/** Nothing in the reference tells one meeting from another. */
const saysNothing = (ref: MeetingRef) =>
  !ref.id &&
  ref.regions.length === 0 &&
  !ref.date &&
  ref.month === null &&
  ref.back === null &&
  ref.bodies.length === 0;

/**
 * The meetings of the body the reference names: another body by name, a KKR when it says
 * KKR; naming neither, KKR meetings when there are any, as KKR meetings are what is asked for.
 */
function byBody(meetings: Meeting[], ref: MeetingRef): Meeting[] {
  if (ref.bodies.length > 0) return meetings.filter((m) => ref.bodies.some((b) => sameBody(b, m.body)));
  const kkr = meetings.filter((m) => m.kkr);
  return ref.kkr || kkr.length > 0 ? kkr : meetings;
}

/**
 * Picks the meeting `ref` names among `meetings` (pure). `today` (YYYY-MM-DD) makes "the
 * latest" the latest held by then, when calendars also list planned meetings.
 */
export function matchMeeting(meetings: Meeting[], ref: MeetingRef, today?: string): MeetingMatch {
  if (ref.id) {
    const byId = meetings.find((m) => m.id === ref.id);
    if (byId) return { status: "found", meeting: byId };
  }
  if (saysNothing(ref)) return { status: "not_found", available: meetings };
  const inRegion = ref.regions.length > 0 ? meetings.filter((m) => ref.regions.includes(m.region)) : meetings;
  const ofBody = byBody(inRegion, ref);
  let cands = ofBody;
  if (ref.date) {
    const iso = ref.date.iso;
    cands = ofBody.filter((m) => (ref.date?.precision === "day" ? m.date === iso : m.date.startsWith(iso)));
    // A day that is no meeting date may be a document's date (the newsletter of 14 September).
    if (cands.length === 0 && ref.date.precision === "day") {
      cands = ofBody.filter((m) => m.documents.some((d) => d.publishedDate === iso));
    }
  } else if (ref.month !== null) {
    cands = ofBody.filter((m) => Number(m.date.slice(5, 7)) === ref.month);
  }
  if (ref.back !== null && cands.length > 0) {
    const held = today ? cands.filter((m) => m.date <= today) : cands;
    const dates = [...new Set((held.length > 0 ? held : cands).map((m) => m.date))].sort().reverse();
    const want = dates[ref.back];
    cands = want ? cands.filter((m) => m.date === want) : [];
  }
  const [only] = cands;
  if (only && cands.length === 1) return { status: "found", meeting: only };
  if (cands.length > 1) return { status: "ambiguous", candidates: cands };
  const available = ofBody.length > 0 ? ofBody : inRegion.length > 0 ? inRegion : meetings;
  return { status: "not_found", available };
}

const KIND_NAMES: Record<Language, Record<DocKind, string>> = {
  da: {
    dagsorden: "dagsorden",
    referat: "referat",
    nyhedsbrev: "nyhedsbrev",
    mødeplan: "mødeplan",
    nyhed: "nyhed",
    udpegning: "udpegning",
    folder: "folder",
    beretning: "beretning",
    side: "side",
  },
  en: {
    dagsorden: "agenda",
    referat: "minutes",
    nyhedsbrev: "newsletter",
    mødeplan: "meeting calendar",
    nyhed: "news",
    udpegning: "appointments",
    folder: "folder",
    beretning: "annual report",
    side: "page",
  },
};

export const kindName = (kind: DocKind, lang: Language) => KIND_NAMES[lang][kind];

export const kkrName = (region: Region) => (region === "all" ? "KKR" : `KKR ${region}`);

export const formatDate = (iso: string, lang: Language) =>
  lang === "da" ? formatDanishDate(iso) : formatEnglishDate(iso);

/** "KKR Syddanmark 11. november 2020 (dagsorden, nyhedsbrev)". */
export function describeMeeting(m: Meeting, lang: Language): string {
  const kinds = [...new Set(m.documents.map((d) => kindName(d.kind, lang)))].join(", ");
  return `${meetingName(m)} ${formatDate(m.date, lang)} (${kinds})`;
}

const MAX_LISTED = 20;

function listing(meetings: Meeting[], lang: Language): string {
  const shown = meetings.slice(0, MAX_LISTED).map((m) => `- ${describeMeeting(m, lang)}`);
  const more = meetings.length - shown.length;
  if (more > 0) shown.push(lang === "da" ? `- … og ${more} flere` : `- … and ${more} more`);
  return shown.join("\n");
}

/** The KkrError for an unresolved match: candidates when ambiguous, what exists when unknown. */
export function matchError(match: Exclude<MeetingMatch, { status: "found" }>, ref: MeetingRef): KkrError {
  const lang = ref.language;
  const q = lang === "da" ? `«${ref.text}»` : `"${ref.text}"`;
  if (match.status === "ambiguous") {
    const example = match.candidates[0];
    const hint = example ? `${meetingName(example)} ${formatDate(example.date, lang)}` : "";
    const message =
      lang === "da"
        ? `${q} passer på ${match.candidates.length} møder. Skriv hvilket, fx «${hint}»:\n${listing(match.candidates, lang)}`
        : `${q} matches ${match.candidates.length} meetings. Say which one, e.g. "${hint}":\n${listing(match.candidates, lang)}`;
    return new KkrError("MEETING_AMBIGUOUS", message, {
      details: { ref: ref.text, candidates: match.candidates.map(meetingInfo) },
    });
  }
  const message =
    match.available.length === 0
      ? lang === "da"
        ? `Jeg fandt intet møde, der passer på ${q}: indekset har ingen møder (dagsordener, referater, mødeplaner eller nyheder med en mødedato). Kør \`kkr ingest DIR\`.`
        : `No meeting matches ${q}: the index holds no meetings (agendas, minutes, meeting calendars or news with a meeting date). Run \`kkr ingest DIR\`.`
      : lang === "da"
        ? `Jeg fandt intet møde, der passer på ${q}. Indekset har disse møder:\n${listing(match.available, lang)}`
        : `No meeting matches ${q}. The index holds these meetings:\n${listing(match.available, lang)}`;
  return new KkrError("MEETING_NOT_FOUND", message, {
    details: { ref: ref.text, available: match.available.map(meetingInfo) },
  });
}

/** The JSON-friendly summary of a meeting used in error details and results. */
export function meetingInfo(m: Meeting) {
  return {
    id: m.id,
    region: m.region,
    body: m.body,
    kkr: m.kkr,
    date: m.date,
    time: m.time,
    place: m.place,
    documents: m.documents.map((d) => ({
      source: d.source,
      title: d.title,
      kind: d.kind,
      url: d.url,
      section: d.section,
    })),
  };
}

export type MeetingInfo = ReturnType<typeof meetingInfo>;

/** Resolves `ref` against the index; throws MEETING_AMBIGUOUS / MEETING_NOT_FOUND otherwise. */
export async function resolveMeeting(
  store: KkrStore,
  ref: string,
  options: { today?: string } = {},
): Promise<{ meeting: Meeting; ref: MeetingRef }> {
  const parsed = parseMeetingRef(ref);
  const match = matchMeeting(await listMeetings(store), parsed, options.today);
  if (match.status !== "found") throw matchError(match, parsed);
  return { meeting: match.meeting, ref: parsed };
}
