/**
 * Meeting calendars: lines that are a meeting date and little else ("Onsdag den 8. februar",
 * "Tirsdag d. 8. marts 2022 kl. 18.00-20.00", "Konstituerende møde Tirsdag den 27. januar")
 * under a line about meetings ("Mødedatoer", "Mødekalender 2022", "Møder i X-udvalget:").
 * The year of a date without one comes from the year heading above it ("2023").
 */
import type { DateMatch } from "../src/text/dates.js";
import { bodyIn } from "./body.js";
import { DATE_LABEL } from "./masthead.js";
import { timeIn } from "./place.js";

export interface CalendarEntry {
  date: string;
  time: string | null;
  /** From a "Sted" column when the calendar is a table. */
  place: string | null;
  /** The line's span in the text. */
  start: number;
  end: number;
  /** The body an intro line above names ("Møder i Sundhedssamarbejdsudvalget:"), if any. */
  body: string | null;
}

const MEETING_WORD =
  /\bmøde(?:r|rne|t|dato|datoer|datoerne|kalender|kalenderen|plan|planen|række|oversigt|materiale)?\b|\bmeetings?\b/i;
const EXTRAS =
  /\b(?:den|d\.|mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|monday|tuesday|wednesday|thursday|friday)\b|\bkl\.?\s*\d{1,2}(?:[.:]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?|\bfra\b|[,.:;–-]/giu;
const YEAR_LINE = /^(?:19|20)\d\d:?$/;

interface LineSpan {
  text: string;
  start: number;
  end: number;
}

function lineSpans(text: string): LineSpan[] {
  const out: LineSpan[] = [];
  let pos = 0;
  for (const raw of text.split("\n")) {
    out.push({
      text: raw.trim(),
      start: pos + (raw.length - raw.trimStart().length),
      end: pos + raw.trimEnd().length,
    });
    pos += raw.length + 1;
  }
  return out;
}

/** The day-precise date a line is about when the line is a date and little else. */
function dateOfLine(line: LineSpan, dates: DateMatch[]): DateMatch | null {
  // Dates in parentheses are remarks ("eksisterende frem til 30. juni 2022").
  const bare = line.text.replace(/\([^)]*\)/g, (m) => " ".repeat(m.length));
  const outside = dates.filter(
    (d) =>
      d.index >= line.start && d.index + d.length <= line.end && bare.charAt(d.index - line.start) !== " ",
  );
  const d = outside[0];
  if (outside.length !== 1 || !d || d.precision !== "day") return null;
  const offset = d.index - line.start;
  const rest = (bare.slice(0, offset) + bare.slice(offset + d.length))
    .replace(/^- /, "")
    .replace(EXTRAS, " ");
  const words = rest.split(/\s+/).filter((w) => w !== "");
  // "Konstituerende møde" may stand before it; a sentence may not.
  return words.length <= 3 ? d : null;
}

const PLACE_COLUMN = /^(?:sted|mødested|lokation|location|place|venue|adresse)$/i;

/**
 * A calendar table row ("Onsdag den 5. februar 2025 | Sorø Rådhus | Tema"): the date cell
 * makes it an entry; the header row says which cell is the place.
 */
function tableEntry(line: LineSpan, dates: DateMatch[], header: string[] | null) {
  if (!line.text.includes(" | ")) return null;
  const cells = line.text.split(" | ");
  let offset = line.start;
  for (const [k, cell] of cells.entries()) {
    const d = dateOfLine({ text: cell, start: offset, end: offset + cell.length }, dates);
    if (d) {
      const col = header?.findIndex((h) => PLACE_COLUMN.test(h.trim())) ?? -1;
      const place = col >= 0 && col !== k ? (cells[col]?.trim() ?? null) : null;
      return { d, place: place || null, time: timeIn(cell) };
    }
    offset += cell.length + 3;
  }
  return null;
}

/** Heading-like line that is not about meetings: the calendar ends there. */
const endsCalendar = (t: string) =>
  !MEETING_WORD.test(t) && !YEAR_LINE.test(t) && (t.length > 200 || !/[.:]$/.test(t));

/**
 * The calendar entries in `text`. `dates` is findDates(text) (so years carry over from the
 * year headings); with `anywhere` (a calendar page), date lines count without an intro line.
 */
export function calendarEntries(text: string, dates: DateMatch[], anywhere: boolean): CalendarEntry[] {
  const out: CalendarEntry[] = [];
  let inCalendar = anywhere;
  let body: string | null = null;
  let header: string[] | null = null;
  let di = 0;
  for (const line of lineSpans(text)) {
    // The dates of this line only (both lists are in text order), so the scan stays linear.
    while (di < dates.length && (dates[di]?.index ?? 0) < line.start) di++;
    let dj = di;
    while (dj < dates.length && (dates[dj]?.index ?? 0) < line.end) dj++;
    const lineDates = dates.slice(di, dj);
    if (line.text === "" || YEAR_LINE.test(line.text) || DATE_LABEL.test(line.text)) continue;
    const row = tableEntry(line, lineDates, header);
    if (row) {
      if (inCalendar) {
        out.push({
          date: row.d.iso,
          time: row.time,
          place: row.place,
          start: line.start,
          end: line.end,
          body,
        });
      }
      continue;
    }
    if (line.text.includes(" | ")) {
      header = line.text.split(" | ");
      continue;
    }
    const d = dateOfLine(line, lineDates);
    if (d) {
      // "Møde den 4. april 2025": a date line that names a meeting opens (or continues) a calendar.
      if (MEETING_WORD.test(line.text)) inCalendar = true;
      if (inCalendar)
        out.push({
          date: d.iso,
          time: timeIn(line.text),
          place: null,
          start: line.start,
          end: line.end,
          body,
        });
      continue;
    }
    if (MEETING_WORD.test(line.text) && line.text.length <= 250) {
      inCalendar = true;
      const named = /:$/.test(line.text) || line.text.length <= 80 ? bodyIn(line.text) : null;
      if (named) body = named;
      continue;
    }
    if (/:$/.test(line.text) && line.text.length <= 200) {
      const named = bodyIn(line.text);
      if (named && inCalendar) body = named;
      continue;
    }
    if (endsCalendar(line.text) && !anywhere) {
      inCalendar = false;
      body = null;
    }
  }
  return out;
}
