/**
 * Document metadata read from the cleaned text: title, KKR region, kind, meeting and
 * publication dates, meeting place. The file name can tip a close call but is never needed;
 * a sidecar's fields override what was read.
 */
import { type DateMatch, findDates, formatDanishDate } from "../src/text/dates.js";
import { detectRegions, type RegionForm } from "../src/text/regions.js";
import { type DocKind, type DocumentMeta, REGIONS, type Region } from "../src/types.js";
import type { HeadingHint } from "./clean.js";

export interface MetadataContext {
  fileName: string;
  headingHints: HeadingHint[];
  sidecar?: Partial<DocumentMeta>;
}

/** The part of a document where its masthead (title, date, "Dato:", "Sted:") lives. */
const HEAD_CHARS = 2500;

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

function linesOf(text: string, limit: number): string[] {
  return text.slice(0, limit).split("\n");
}

/** Lines in the masthead that look like the document's own title (short, near the top). */
function titleLines(text: string): string[] {
  return linesOf(text, 1500)
    .map((l) => l.trim())
    .filter((l) => l !== "" && l.length <= 120)
    .slice(0, 10);
}

/** Kind from what the document says about itself, then from its structure. */
export function detectKind(text: string, fileName = ""): DocKind {
  const score: Record<DocKind, number> = {
    dagsorden: 0,
    referat: 0,
    nyhedsbrev: 0,
    folder: 0,
    beretning: 0,
    other: 0,
  };
  for (const line of titleLines(text)) {
    if (/^(?:\S+\s+){0,3}dagsorden\b|^agenda\b/i.test(line)) score.dagsorden += 4;
    if (
      /^(?:\S+\s+){0,3}referat\b|^beslutningsprotokol|^minutes\b/i.test(line) &&
      !/godkendelse/i.test(line)
    ) {
      score.referat += 4;
    }
    if (/nyhedsbrev|newsletter/i.test(line)) score.nyhedsbrev += 5;
    if (/\bfolder\b|\bpjece\b|\bbrochure\b/i.test(line)) score.folder += 5;
    if (/\b(?:års)?beretning\b|\bannual report\b/i.test(line)) score.beretning += 5;
  }
  const head = text.slice(0, HEAD_CHARS);
  if (/^\s*(?:dato|mødedato|tidspunkt)\s*:/im.test(head) && /^\s*(?:sted|mødested)\s*:/im.test(head)) {
    score.dagsorden += 2;
    score.referat += 2;
  }
  const count = (re: RegExp, cap: number) => Math.min(cap, (text.match(re) ?? []).length);
  score.dagsorden += count(/^indstilling:?$/gim, 3) + count(/det indstilles/gi, 2);
  score.referat +=
    2 * count(/^beslutning(?:\s+i\s+[^\n]{0,40})?:?$/gim, 3) + count(/^(?:fraværende|afbud)\b/gim, 1);
  score.beretning += 2 * count(/\b(?:års)?beretning(?:en)?\b/gi, 2);
  if (/^\s*(?:i\s+)?(?:19|20)\d\d\s+har\s+(?:været|budt)/im.test(text.slice(0, 3000))) score.beretning += 3;
  score.nyhedsbrev += count(/\bnyhedsbrev/gi, 1);
  const fn = fileName.toLowerCase();
  for (const k of ["dagsorden", "referat", "nyhedsbrev", "folder", "beretning"] as const) {
    if (fn.includes(k)) score[k] += 2;
  }
  let best: DocKind = "other";
  let bestScore = 2; // weaker evidence than this is no evidence
  for (const k of ["referat", "dagsorden", "nyhedsbrev", "folder", "beretning"] as const) {
    if (score[k] > bestScore) {
      best = k;
      bestScore = score[k];
    }
  }
  return best;
}

// Words that mark a date as some other meeting's ("referat fra mødet den …", "næste møde").
const OTHER_MEETING = /referat(?:et)?\s+fra|godkendelse|næste|forrige|sidste|kommende|next|previous/i;

/** The date the meeting took place: a "Dato:" masthead, else "holdt møde den …". */
export function detectMeetingDate(text: string, kind: DocKind): string | null {
  const head = text.slice(0, HEAD_CHARS);
  const dateField = /^\s*(?:dato|mødedato|date|tid og sted|tidspunkt)\s*:\s*(.+)$/im.exec(head);
  if (dateField) {
    const d = findDates(dateField[1] ?? "").find((x) => x.precision === "day");
    if (d) return d.iso;
  }
  const window = text.slice(0, Math.max(HEAD_CHARS * 2, 6000));
  const dates = findDates(window);
  for (const d of dates) {
    if (d.precision !== "day") continue;
    const before = window.slice(Math.max(0, d.index - 80), d.index);
    const clause = before.slice(Math.max(before.lastIndexOf("."), before.lastIndexOf("\n")) + 1);
    if (OTHER_MEETING.test(clause)) continue;
    if (
      /\b(?:holdt|afholdt|afholder|holder|havde|har\s+haft)\b[^.\n]{0,50}\bmøde(?:t)?\b[^.\n]{0,40}(?:den|d\.)\s*$/i.test(
        clause,
      ) ||
      /\b(?:met|meeting|held)\b[^.\n]{0,40}\bon\s+$/i.test(clause)
    ) {
      return d.iso;
    }
  }
  if (kind === "dagsorden" || kind === "referat") {
    // "Referat fra møde i KKR Nordjylland den 3. marts 2021" as the title line.
    for (const line of titleLines(text).slice(0, 6)) {
      const d = findDates(line).find((x) => x.precision === "day");
      if (
        d &&
        /møde|dagsorden|referat|meeting/i.test(line) &&
        !OTHER_MEETING.test(line.replace(/^referat\s+fra\s+/i, "")) &&
        !/\.$/.test(line)
      ) {
        return d.iso;
      }
    }
  }
  return null;
}

/** A masthead line that is nothing but a date ("14. september 2020", "MARTS 2022"). */
function standaloneDate(line: string): DateMatch | null {
  if (/^\s*(?:dato|date|mødedato)\s*:/i.test(line)) return null;
  const ds = findDates(line);
  const d = ds[0];
  if (ds.length !== 1 || !d) return null;
  const rest = (line.slice(0, d.index) + line.slice(d.index + d.length)).replace(
    /\b(?:den|d\.|udgivet|published|mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)\b|[\s,.\-–|]/giu,
    "",
  );
  return rest.length <= 2 ? d : null;
}

/** When the document was published: a date line in the masthead, a dated title, a report's year. */
export function detectPublishedDate(text: string, kind: DocKind): string | null {
  const lines = titleLines(text);
  for (const line of lines.slice(0, 8)) {
    const d = standaloneDate(line);
    if (d) return d.iso;
  }
  if (kind === "dagsorden" || kind === "referat") return null;
  for (const line of lines.slice(0, 8)) {
    if (!/nyhedsbrev|newsletter|folder|pjece|beretning|annual report/i.test(line)) continue;
    const d = findDates(line, { bareYears: true })[0];
    if (d) return d.iso;
  }
  if (kind === "beretning") {
    // "2016 har været et år med …": an annual report names its year early on.
    const d = findDates(text.slice(0, 1500), { bareYears: true })[0];
    if (d) return d.iso.slice(0, 4);
  }
  return null;
}

/** "Sted: Virtuelt via Teams" in the masthead. */
export function detectPlace(text: string): string | null {
  const m = /^\s*(?:sted|mødested|lokation|location|place|venue)\s*:\s*(.+)$/im.exec(
    text.slice(0, HEAD_CHARS),
  );
  const place = m?.[1]?.trim().replace(/[.;,]$/, "");
  return place ? place.slice(0, 150) : null;
}

const KIND_LABEL: Record<DocKind, string> = {
  dagsorden: "dagsorden",
  referat: "referat",
  nyhedsbrev: "nyhedsbrev",
  folder: "folder",
  beretning: "beretning",
  other: "",
};

/** "KKR Syddanmark – dagsorden 11. november 2020"; for kind "other", the document's own title line. */
export function composeTitle(
  meta: Pick<DocumentMeta, "region" | "kind" | "meetingDate" | "publishedDate">,
  text: string,
  headingHints: HeadingHint[],
  fileName: string,
): string {
  if (meta.kind === "other") {
    const hint = [...headingHints].sort((a, b) => a.start - b.start).find((h) => h.start < HEAD_CHARS);
    const lineEnd = hint ? text.indexOf("\n", hint.start) : -1;
    const fromHint = hint ? text.slice(hint.start, lineEnd < 0 ? undefined : lineEnd).trim() : "";
    const first = titleLines(text)[0] ?? "";
    const own = (fromHint || first).slice(0, 150);
    if (own !== "") return own;
    return fileName.replace(/\.[^.]+$/, "").replace(/[-_]+/g, " ") || "Dokument";
  }
  const who = meta.region === null ? "" : meta.region === "all" ? "KKR" : `KKR ${meta.region}`;
  const date =
    meta.kind === "dagsorden" || meta.kind === "referat"
      ? (meta.meetingDate ?? meta.publishedDate)
      : (meta.publishedDate ?? meta.meetingDate);
  const what = [KIND_LABEL[meta.kind], date ? formatDanishDate(date) : ""].filter((s) => s !== "").join(" ");
  if (who === "") return what.charAt(0).toUpperCase() + what.slice(1);
  return `${who} – ${what}`;
}

const isRegion = (v: unknown): v is Region =>
  v === "all" || (typeof v === "string" && (REGIONS as readonly string[]).includes(v));

/** Metadata for one cleaned document; sidecar fields that are set win. */
export function extractMetadata(text: string, ctx: MetadataContext): DocumentMeta {
  const side = ctx.sidecar ?? {};
  const kind = side.kind ?? detectKind(text, ctx.fileName);
  const region =
    side.region !== undefined && (side.region === null || isRegion(side.region))
      ? side.region
      : detectDocumentRegion(text, ctx.fileName);
  const meetingDate = side.meetingDate !== undefined ? side.meetingDate : detectMeetingDate(text, kind);
  const publishedDate =
    side.publishedDate !== undefined ? side.publishedDate : detectPublishedDate(text, kind);
  const place = side.place !== undefined ? side.place : detectPlace(text);
  const title =
    side.title !== undefined && side.title !== null && side.title.trim() !== ""
      ? side.title.trim()
      : composeTitle({ region, kind, meetingDate, publishedDate }, text, ctx.headingHints, ctx.fileName);
  return { title, region, kind, meetingDate, publishedDate, place, url: side.url ?? null };
}
