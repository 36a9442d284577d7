/**
 * What a document is, from what it says about itself in its headings (in any case or
 * spacing: "REFERAT", "2 REFERAT 2021 KKR HOVEDSTADEN"), then from its structure (agenda
 * mastheads, "Indstilling"/"Beslutning" sections, a calendar of meeting dates). A link or a
 * sentence ("Dagsorden og bilag kan ses nedenfor", "Folder om KKR (pdf)") is not a heading.
 * What is none of the named kinds is a news article when it is dated, else a page.
 */
import { findDates } from "../src/text/dates.js";
import type { DocKind } from "../src/types.js";
import { calendarEntries } from "./calendar.js";
import { mastheadPublishedDate } from "./doc-dates.js";
import {
  BYLINE,
  CAPTION,
  endsSentence,
  HEAD_CHARS,
  headLines,
  ISSUE_LINE,
  isListItem,
  LINK_LIKE,
} from "./masthead.js";

type Scored = Exclude<DocKind, "nyhed" | "side">;
const SCORED: Scored[] = [
  "referat",
  "dagsorden",
  "mødeplan",
  "nyhedsbrev",
  "udpegning",
  "folder",
  "beretning",
];

/** Lines that can state the document's kind: headings near the top, not links or sentences. */
function headingLines(text: string): string[] {
  return headLines(text, 1500, 10)
    .map((l) => l.text)
    .filter(
      (t) => t.length <= 150 && !isListItem(t) && !LINK_LIKE.test(t) && !endsSentence(t) && !CAPTION.test(t),
    );
}

const AGENDA = /^(?:\S+\s+){0,3}(?:dagsorden|agenda)\b/i;
const MINUTES = /^(?:\S+\s+){0,3}(?:referat|beslutningsprotokol|minutes)\b/i;
const ABOUT_ANOTHER = /godkendelse|opfølgning|fra\s+(?:sidste|forrige)|forrige/i;
const CALENDAR =
  /\b(?:mødeplan|mødekalender|mødedatoer|mødemateriale|møderække|mødeoversigt|meeting\s+(?:calendar|schedule|dates))\b|^møder\b[^.]{0,60}\b(?:19|20)\d\d$/i;
const APPOINTMENT =
  /\budpegning(?:er|erne)?\b|\budpeget\b|\bmedlemmer\s+af\b|\bsammensætning(?:en)?\b|\brepræsentanter\s+(?:i|til)\b|\bappointments?\b|\bmembers\s+of\b/i;

function headingScores(text: string): Record<Scored, number> {
  const score: Record<Scored, number> = {
    dagsorden: 0,
    referat: 0,
    mødeplan: 0,
    nyhedsbrev: 0,
    udpegning: 0,
    folder: 0,
    beretning: 0,
  };
  headingLines(text).forEach((line, i) => {
    const short = line.split(/\s+/).length <= 10;
    if (AGENDA.test(line) || (short && /\bdagsorden\b/i.test(line) && !ABOUT_ANOTHER.test(line)))
      score.dagsorden += 4;
    if ((MINUTES.test(line) || (short && /\breferat\b/i.test(line))) && !ABOUT_ANOTHER.test(line))
      score.referat += 4;
    if (/nyhedsbrev|newsletter/i.test(line)) score.nyhedsbrev += 5;
    if (/\bfolder\b|\bpjece\b|\bbrochure\b/i.test(line)) score.folder += 5;
    if (/\b(?:års)?beretning\b|\bannual report\b/i.test(line)) score.beretning += 5;
    if (CALENDAR.test(line)) score.mødeplan += 5;
    // Only the title says what the whole document is an appointment of.
    if (i < 3 && APPOINTMENT.test(line)) score.udpegning += 5;
  });
  return score;
}

function structureScores(text: string, score: Record<Scored, number>, fileName: string): void {
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
  // Three or more meeting dates under a line about meetings: a calendar (looked for only when
  // no heading has said what the document is, as it reads every date in the text).
  if (Math.max(...Object.values(score)) < 4 && calendarEntries(text, findDates(text), false).length >= 3)
    score.mødeplan += 3;
  const fn = fileName.toLowerCase();
  for (const k of ["dagsorden", "referat", "nyhedsbrev", "folder", "beretning"] as const) {
    if (fn.includes(k)) score[k] += 2;
  }
}

/** Dated at the top, signed by a writer, or from a magazine issue: a news article. */
function looksLikeNews(text: string, webDate: string | null): boolean {
  if (webDate || mastheadPublishedDate(text)) return true;
  return headLines(text, 1500, 8).some((l) => BYLINE.test(l.text) || ISSUE_LINE.test(l.text));
}

export function detectKind(text: string, fileName = "", webDate: string | null = null): DocKind {
  const score = headingScores(text);
  structureScores(text, score, fileName);
  let best: DocKind | null = null;
  let bestScore = 2; // weaker evidence than this is no evidence
  for (const k of SCORED) {
    if (score[k] > bestScore) {
      best = k;
      bestScore = score[k];
    }
  }
  return best ?? (looksLikeNews(text, webDate) ? "nyhed" : "side");
}
