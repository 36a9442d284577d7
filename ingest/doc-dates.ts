/**
 * A document's own dates, kept apart: when it was published (a date line in the masthead,
 * "Publiceret …", "Sidst opdateret: …", a dated title, a magazine issue, a front page's
 * newest item) and, for an agenda or minutes, the date of the meeting (a "Dato:" masthead
 * or a dated title line). Meetings reported in the text are found in find-meetings.ts.
 */
import { findDates } from "../src/text/dates.js";
import type { DocKind } from "../src/types.js";
import { DATE_LABEL, HEAD_CHARS, headLines, ISSUE_LINE, isListItem, standaloneDate } from "./masthead.js";

// Words that mark a date as some other meeting's ("referat fra mødet den …", "næste møde").
export const OTHER_MEETING = /referat(?:et)?\s+fra|godkendelse|næste|forrige|sidste|kommende|next|previous/i;

/** The meeting date of an agenda or minutes: a "Dato:" masthead, else a dated title line. */
export function mastheadMeetingDate(text: string): string | null {
  const head = text.slice(0, HEAD_CHARS);
  const dateField = /^\s*(?:dato|mødedato|date|tid og sted|tidspunkt)\s*:\s*(.+)$/im.exec(head);
  if (dateField) {
    const d = findDates(dateField[1] ?? "").find((x) => x.precision === "day");
    if (d) return d.iso;
  }
  // "Referat fra møde i KKR Nordjylland den 3. marts 2021", "Kommunekontaktudvalget - Referat - 20. april 2018".
  for (const { text: line } of headLines(text, 1500, 6)) {
    const d = findDates(line).find((x) => x.precision === "day");
    if (
      d &&
      line.length <= 150 &&
      /møde|dagsorden|referat|beslutningsprotokol|meeting|agenda|minutes/i.test(line) &&
      !OTHER_MEETING.test(line.replace(/^referat\s+fra\s+/i, "")) &&
      !/\.$/.test(line)
    ) {
      return d.iso;
    }
  }
  return null;
}

/** "Publiceret 29-09-2020", a date line, "21. 01. 2022 - kl. 11:28" at the top. */
export function mastheadPublishedDate(text: string): string | null {
  const lines = headLines(text, 1500, 10);
  for (const { text: line } of lines) {
    if (!DATE_LABEL.test(line) || /opdateret|updated/i.test(line)) continue;
    const d = findDates(line).find((x) => x.precision === "day");
    if (d) return d.iso;
  }
  for (const { text: line } of lines.slice(0, 8)) {
    const d = standaloneDate(line);
    if (d && !isListItem(line)) return d.iso;
  }
  return null;
}

/** "Sidst opdateret: 29.08.2020" anywhere (pages put it at the bottom). */
function updatedDate(text: string): string | null {
  const m =
    /(?:^|\n)\s*(?:sidst\s+opdateret|senest\s+opdateret|opdateret|last\s+updated|updated)\s*:?\s*([^\n]{6,40})/i.exec(
      text,
    );
  return m?.[1] ? (findDates(m[1]).find((x) => x.precision === "day")?.iso ?? null) : null;
}

/** The newest of the dated items a front page lists ("- 24.10.17" above each news item). */
function newestListedDate(text: string): string | null {
  let newest: string | null = null;
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!isListItem(t)) continue;
    const d = standaloneDate(t.replace(/^- /, ""));
    if (d && d.precision === "day" && (!newest || d.iso > newest)) newest = d.iso;
  }
  return newest;
}

/** When the document was published, as precise as it says; null when it doesn't. */
export function detectPublishedDate(
  text: string,
  kind: DocKind,
  webDate: string | null = null,
): string | null {
  if (webDate) return webDate;
  const masthead = mastheadPublishedDate(text);
  if (masthead) return masthead;
  if (kind === "dagsorden" || kind === "referat" || kind === "mødeplan") return updatedDate(text);
  const lines = headLines(text, 1500, 8).map((l) => l.text);
  for (const line of lines) {
    if (!/nyhedsbrev|newsletter|folder|pjece|beretning|annual report/i.test(line)) continue;
    const d = findDates(line, { bareYears: true })[0];
    if (d) return d.iso;
  }
  for (const line of lines) {
    const issue = ISSUE_LINE.exec(line)?.[1];
    if (issue) return issue;
  }
  if (kind === "beretning") {
    // "2016 har været et år med …": an annual report names its year early on.
    const d = findDates(text.slice(0, 1500), { bareYears: true })[0];
    if (d) return d.iso.slice(0, 4);
  }
  return updatedDate(text) ?? (kind === "side" ? newestListedDate(text) : null);
}
