/**
 * A document's title. Its own heading when it has one — the first line near the top that
 * is neither a date, a byline, a caption, a link, a label nor a section name, preferring
 * one a paragraph follows (a headline) over a lone section label like "KKR Midtjylland" —
 * and, for a KKR's agendas, minutes, newsletters, folders and reports, the composed
 * "KKR Syddanmark – dagsorden 11. november 2020", which says more than "DAGSORDEN 2020".
 */
import { formatDanishDate } from "../src/text/dates.js";
import { detectRegions } from "../src/text/regions.js";
import type { DocKind, DocumentMeta } from "../src/types.js";
import { isKkrBody } from "./body.js";
import type { HeadingHint } from "./clean.js";
import { KNOWN_SUBHEADINGS } from "./lines.js";
import {
  BYLINE,
  CAPTION,
  DATE_LABEL,
  endsSentence,
  HEAD_CHARS,
  type HeadLine,
  headLines,
  ISSUE_LINE,
  isListItem,
  LINK_LIKE,
  standaloneDate,
} from "./masthead.js";
import { VALUE_LABEL } from "./rebuild-labels.js";

const MAX_TITLE = 150;

/** Lines that are not the title whatever follows them. */
function notTitle(t: string): boolean {
  return (
    t.length > MAX_TITLE ||
    t.length < 3 ||
    standaloneDate(t) !== null ||
    DATE_LABEL.test(t) ||
    BYLINE.test(t) ||
    CAPTION.test(t) ||
    ISSUE_LINE.test(t) ||
    LINK_LIKE.test(t) ||
    isListItem(t) ||
    KNOWN_SUBHEADINGS.test(t) ||
    VALUE_LABEL.test(t.split(":")[0] ?? "") ||
    /:$/.test(t) ||
    endsSentence(t) ||
    !/\p{L}{2}/u.test(t)
  );
}

/** A paragraph (or a list) follows the line, skipping date lines and bylines in between. */
function isHeadline(lines: HeadLine[], i: number): boolean {
  for (let j = i + 1; j < lines.length; j++) {
    const t = lines[j]?.text ?? "";
    if (standaloneDate(t) || DATE_LABEL.test(t) || BYLINE.test(t) || CAPTION.test(t)) continue;
    // A paragraph, a list, or a masthead ("Mødedato: …") under the title.
    return (
      t.length >= 60 ||
      endsSentence(t) ||
      /:$/.test(t) ||
      isListItem(t) ||
      VALUE_LABEL.test(t.split(":")[0] ?? "")
    );
  }
  return false;
}

/** "KKR Midtjylland", "Region Syddanmark": a section or site label above the real heading. */
function isRegionLabel(t: string): boolean {
  const mentions = detectRegions(t);
  if (mentions.length !== 1) return false;
  const rest = t.replace(/\b(?:kkr|region(?:en)?|kommunekontaktråd(?:et)?)\b/gi, "").replace(/[\s–-]+/g, "");
  const m = mentions[0];
  return m !== undefined && rest.length <= m.length;
}

/** The document's own heading, or null. */
export function ownTitle(text: string, headingHints: HeadingHint[]): string | null {
  const lines = headLines(text, 2000, 15);
  const h1 = headingHints.find((h) => h.level === 1 && h.start < HEAD_CHARS);
  if (h1) {
    const line = lines.find((l) => l.start === h1.start);
    if (line && !notTitle(line.text)) return line.text;
  }
  const candidates = lines.map((l, i) => ({ l, i })).filter(({ l }) => !notTitle(l.text));
  const first = candidates[0];
  if (!first) return null;
  if (isHeadline(lines, first.i) || !isRegionLabel(first.l.text)) return first.l.text;
  const headline = candidates.slice(1, 4).find(({ i }) => isHeadline(lines, i));
  return (headline ?? candidates[1] ?? first).l.text;
}

const KIND_LABEL: Partial<Record<DocKind, string>> = {
  dagsorden: "dagsorden",
  referat: "referat",
  nyhedsbrev: "nyhedsbrev",
  folder: "folder",
  beretning: "beretning",
};

/** "KKR Syddanmark – dagsorden 11. november 2020" for a KKR's meeting papers and publications. */
export function composeTitle(
  meta: Pick<DocumentMeta, "region" | "kind" | "meetingDate" | "publishedDate">,
): string | null {
  const label = KIND_LABEL[meta.kind];
  if (!label) return null;
  const who = meta.region === null ? "" : meta.region === "all" ? "KKR" : `KKR ${meta.region}`;
  const date =
    meta.kind === "dagsorden" || meta.kind === "referat"
      ? (meta.meetingDate ?? meta.publishedDate)
      : (meta.publishedDate ?? meta.meetingDate);
  const what = [label, date ? formatDanishDate(date) : ""].filter((s) => s !== "").join(" ");
  if (who === "") return what.charAt(0).toUpperCase() + what.slice(1);
  return `${who} – ${what}`;
}

/**
 * The title: composed for a KKR's meeting papers and publications, else the document's own
 * heading, else the file name.
 */
export function detectTitle(
  meta: Pick<DocumentMeta, "region" | "kind" | "meetingDate" | "publishedDate">,
  own: string | null,
  body: string | null,
  fileName: string,
): string {
  const composed = body === null || isKkrBody(body) ? composeTitle(meta) : null;
  const title = composed ?? own;
  if (title) return title.slice(0, MAX_TITLE);
  return fileName.replace(/\.[^.]+$/, "").replace(/[-_]+/g, " ") || "Dokument";
}
