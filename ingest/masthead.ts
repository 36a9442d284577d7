/**
 * The top of a document, where its title, date, byline and "Dato:"/"Sted:" lines live,
 * as lines with offsets, plus the tests metadata detection shares: is a line a date and
 * nothing else, a byline or caption, a link, a sentence.
 */
import { type DateMatch, findDates } from "../src/text/dates.js";

/** The part of a document where its masthead lives. */
export const HEAD_CHARS = 2500;

export interface HeadLine {
  text: string;
  start: number;
  /** Whether a blank line follows. */
  blankAfter: boolean;
}

/** Non-empty lines in the first `chars` characters, at most `max` of them. */
export function headLines(text: string, chars = 2000, max = 15): HeadLine[] {
  const out: HeadLine[] = [];
  const head = text.slice(0, chars);
  let pos = 0;
  for (const raw of head.split("\n")) {
    const t = raw.trim();
    const start = pos + raw.indexOf(t);
    pos += raw.length + 1;
    if (t === "") {
      const last = out[out.length - 1];
      if (last) last.blankAfter = true;
      continue;
    }
    if (out.length >= max) break;
    out.push({ text: t, start, blankAfter: false });
  }
  return out;
}

/** Words a date line may carry besides the date ("Onsdag den …", "… - kl. 11:28"). */
const DATE_LINE_EXTRAS =
  /\b(?:den|d\.|udgivet|published|publiceret|mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)\b|\bkl\.?\s*\d{1,2}(?:[.:]\d{2})?|[\s,.\-–|•]/giu;

/** A line that is nothing but a date ("14. september 2020", "21. 01. 2022 - kl. 11:28", "- 24.10.17"). */
export function standaloneDate(line: string): DateMatch | null {
  if (/^\s*(?:dato|date|mødedato)\s*:/i.test(line)) return null;
  const ds = findDates(line);
  const d = ds[0];
  if (ds.length !== 1 || !d) return null;
  const rest = (line.slice(0, d.index) + line.slice(d.index + d.length)).replace(DATE_LINE_EXTRAS, "");
  return rest.length <= 2 ? d : null;
}

/** "Tekst af …", "Af Hanne Berg", "Foto: …", "Skrevet af", "By …". */
export const BYLINE = /^(?:tekst(?:\s+og\s+foto)?\s+af|skrevet\s+af|af|foto|fotos|photo|by|kilde)\b[\s:]/i;
/** A caption names its photographer: "… Foto: Jakob Berg". */
export const CAPTION = /\b(?:foto|fotograf|photo)\s*:/i;
/** A link or a pointer to one, not the document's own heading. */
export const LINK_LIKE =
  /\((?:pdf|docx?|xlsx?|pptx?)\b|\.pdf\b|\b(?:download|hent|læs\s+(?:mere|hele|også)|se\s+(?:mere|alle|også|her)|kan\s+ses|kan\s+læses|findes\s+her|ligger\s+her|klik)\b|https?:\/\//i;
/** "Publiceret 29-09-2020", "Sidst opdateret: …": a date label, not a heading. */
export const DATE_LABEL =
  /^(?:publiceret|udgivet|offentliggjort|opdateret|sidst\s+opdateret|senest\s+opdateret|published|updated|last\s+updated)\b/i;
/** A magazine's issue line: "Nyhedsmagasinet Danske Kommuner nr. 05 / 2014". */
export const ISSUE_LINE = /\bnr\.?\s*\d{1,3}\s*\/\s*((?:19|20)\d\d)\b/i;

/** Ends like a sentence (a heading does not). */
export const endsSentence = (t: string) => /[.!?]["'”’»)]?$/u.test(t);
/** "- …", "1. Godkendelse …" — but "23. november 2018" is a date, not item 23. */
export const isListItem = (t: string) =>
  t.startsWith("- ") || (/^\d{1,3}[.)] /.test(t) && findDates(t.slice(0, 30)).every((d) => d.index !== 0));
