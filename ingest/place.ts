/**
 * Where and at what time a meeting is held, from the forms documents use: a "Sted:" /
 * "Mødested:" label (the value on the same line once labels are rebuilt), "Mødet afholdes i
 * Erhvervshus X, Vej 15, i By", "Mødet blev afviklet virtuelt", "via Teams", a masthead line
 * "Fredag 27. januar 2017 kl Mødelokale K …", and "kl. 9.30 – 12.30".
 */
import { findDates } from "../src/text/dates.js";

const PLACE_LABEL =
  /^\s*(?:sted|mødested|møde\s?sted|mødelokale|lokation|location|place|venue)\s*:\s*(.+)$/im;
const HELD_AT =
  /\b(?:mødet|møderne|mødet\s+i\s+\S+(?:\s+\S+)?)\s+(?:afholdes|afholdtes|holdes|holdtes|finder\s+sted|fandt\s+sted|foregår|foregik|bliver\s+holdt|blev\s+holdt|er\s+henlagt\s+til)\s+(?:i|på|hos)\s+([^\n]+?)(?:\.(?:\s|$)|\n|$)/iu;
const VIRTUAL =
  /\b(?:virtuelt|virtuel(?=\s+møde)|online|digitalt|via\s+(?:microsoft\s+)?teams|på\s+teams|via\s+zoom|via\s+skype)\b/iu;
const VIRTUAL_CONTEXT = /\bmøde|\bafvikl|\bholdt|\bholdes|\bafholdt|\bafholdes|\bforegik|\bforegår/i;
/** Words a room or building begins with, for a masthead line that runs date and place together. */
const PLACE_WORD =
  /\b(?:mødelokale|lokale|mødesal|byrådssal(?:en)?|rådhus(?:et)?|rådhussal(?:en)?|mødecenter|konferencecenter|hotel|erhvervshus)\b/iu;

const tidy = (s: string) =>
  s
    .replace(/\s+/g, " ")
    .replace(/^(?:i|på|hos)\s+/i, "")
    .replace(/[\s.;,]+$/, "")
    .trim()
    .slice(0, 150);

/** "Virtuelt", "Virtuelt via Teams", "Online". */
function virtualPlace(sentence: string): string | null {
  const m = VIRTUAL.exec(sentence);
  if (!m || !VIRTUAL_CONTEXT.test(sentence)) return null;
  const tool = /\b(teams|zoom|skype)\b/i.exec(sentence)?.[1];
  const via = tool ? ` via ${tool.charAt(0).toUpperCase()}${tool.slice(1).toLowerCase()}` : "";
  return /online/i.test(m[0]) && !via ? "Online" : `Virtuelt${via}`;
}

/** The place a passage names, or null. */
export function placeIn(text: string): string | null {
  const label = PLACE_LABEL.exec(text)?.[1];
  if (label) return tidy(label);
  const held = HELD_AT.exec(text)?.[1];
  if (held) return tidy(held);
  for (const sentence of text.split(/(?<=[.!?])\s+|\n/)) {
    const v = virtualPlace(sentence);
    if (v) return v;
  }
  return null;
}

/** "Fredag 27. januar 2017 kl Mødelokale K Niels Bohrs Vej": a room after the date on a title line. */
export function placeAfterDate(line: string): string | null {
  const d = findDates(line).find((x) => x.precision === "day");
  if (!d) return null;
  const after = line
    .slice(d.index + d.length)
    .replace(/^\s*(?:kl\.?\s*(?:\d{1,2}(?:[.:]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?)?)?\s*,?\s*/i, "");
  return PLACE_WORD.test(after.split(/\s+/).slice(0, 2).join(" ")) ? tidy(after) : null;
}

const TIME = /\bkl\.?\s*(\d{1,2}(?:[.:]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?)(?![\d:]|\.\d)/i;
const CLOCK = /(?<![\d.:])(\d{1,2}[:.]\d{2}(?:\s*[-–]\s*\d{1,2}[:.]\d{2})?)(?![\d.:])/;

/**
 * "9.30 – 12.30" from "kl. 9.30 – 12.30", or "10:00" from a "Dato: 11-11-2020 10:00" line;
 * a "Dato:"/"Tid:" line first, so a "kl." further down (in an item's text) does not count.
 */
export function timeIn(text: string): string | null {
  const labelled = /^\s*(?:dato|mødedato|tid|tidspunkt|mødetidspunkt|klokken)\s*:\s*(.+)$/im.exec(text)?.[1];
  if (labelled) {
    const kl = TIME.exec(labelled)?.[1];
    if (kl) return kl.replace(/\s+/g, " ").trim();
    let rest = labelled;
    for (const d of findDates(labelled).reverse())
      rest = rest.slice(0, d.index) + rest.slice(d.index + d.length);
    const clock = CLOCK.exec(rest)?.[1];
    if (clock) return clock.replace(/\s+/g, " ");
  }
  const kl = TIME.exec(text)?.[1];
  return kl ? kl.replace(/\s+/g, " ").trim() : null;
}
