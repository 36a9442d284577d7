import { MONTH_PREFIX_PATTERN } from "../text/dates.js";
import { fold } from "../text/fold.js";
import type { Passage } from "./types.js";

/**
 * An evidence unit: a sentence, a standalone line, a list (with the line introducing it)
 * or a list item of a retrieved passage — what extractive answers quote.
 */
export interface Unit {
  passage: Passage;
  /** Offsets into passage.chunk.text; text === chunk.text.slice(start, end). */
  start: number;
  end: number;
  text: string;
  kind: "sentence" | "line" | "list" | "item";
  /** For lists: the intro line + items; for items: the list they belong to. */
  listItems?: number;
}

/**
 * A period that ends one of these does not end a sentence: Danish and English abbreviations
 * (kl., fx, mio., pkt., jf., bl.a., ca., nr., supp., m.fl. …), month abbreviations, ordinal
 * day numbers ("den 8."), and initials.
 */
const ABBREV =
  /(?:(?<!\p{L})(?:pkt|bl\.a|fx|f\.eks|ca|nr|mio|mia|kr|jf|jvf|evt|inkl|ekskl|ift|ifm|iflg|mht|vha|tlf|tel|dvs|mv|m\.v|osv|pct|pr|st|stk|hhv|vedr|ang|kl|fl|m\.fl|supp|nv|no|el|ol|o\.l|m\.m|f\.o\.m|t\.o\.m|kap|afd|adm|ref|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec|e\.g|i\.e|etc|vs|dr|mr|mrs|ms|approx|incl)\.|\b\d{1,2}\.|(?<!\p{L})\p{Lu}\.)$/iu;
// ("12. februar 2024 | …" starts a calendar row, not a numbered item)
const BULLET = new RegExp(
  `^\\s*(?:[-•*▪●–]|\\d{1,2}[.)](?!\\s+(?:${MONTH_PREFIX_PATTERN})\\p{L}*\\b))\\s+`,
  "iu",
);

/** Splits a chunk into sentences, standalone lines and lists (with their intro line). */
export function unitsOf(passage: Passage): Unit[] {
  const text = passage.chunk.text;
  const units: Unit[] = [];
  const lines: { start: number; end: number }[] = [];
  let pos = 0;
  for (const line of text.split("\n")) {
    lines.push({ start: pos, end: pos + line.length });
    pos += line.length + 1;
  }
  // Bulleted lines, and the short unpunctuated lines under a "Label:" line (contact lists,
  // names under "Kontaktpersoner:") are list items.
  const implicit = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const t = text.slice(lines[i]!.start, lines[i]!.end).trim();
    if (!t.endsWith(":") || t.length > 120) continue;
    const run: number[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const u = text.slice(lines[j]!.start, lines[j]!.end).trim();
      if (u === "") {
        if (
          run.length > 0 &&
          j + 1 < lines.length &&
          text.slice(lines[j + 1]!.start, lines[j + 1]!.end).trim() === ""
        )
          break;
        continue;
      }
      if (u.length > 100 || /[.!?]$/.test(u) || BULLET.test(u) || u.endsWith(":")) break;
      run.push(j);
    }
    if (run.length >= 2) for (const j of run) implicit.add(j);
  }
  const isItem = (l: { start: number; end: number }) =>
    BULLET.test(text.slice(l.start, l.end)) || implicit.has(lines.indexOf(l));
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    const raw = text.slice(l.start, l.end);
    if (raw.trim() === "") {
      i++;
      continue;
    }
    if (isItem(l)) {
      // a list: consecutive items, introduced by the previous non-empty line
      let j = i;
      while (
        j < lines.length &&
        (isItem(lines[j]!) ||
          (text.slice(lines[j]!.start, lines[j]!.end).trim() === "" &&
            j + 1 < lines.length &&
            isItem(lines[j + 1]!)))
      )
        j++;
      let introStart = l.start;
      for (let b = i - 1; b >= 0; b--) {
        const prev = text.slice(lines[b]!.start, lines[b]!.end).trim();
        if (prev === "") continue;
        if (!isItem(lines[b]!) && prev.length < 400)
          introStart =
            lines[b]!.start +
            (text.slice(lines[b]!.start, lines[b]!.end).length -
              text.slice(lines[b]!.start, lines[b]!.end).trimStart().length);
        break;
      }
      const items = lines.slice(i, j).filter((x) => text.slice(x.start, x.end).trim() !== "");
      const listEnd = items[items.length - 1]!.end;
      units.push({
        passage,
        start: introStart,
        end: listEnd,
        text: text.slice(introStart, listEnd),
        kind: "list",
        listItems: items.length,
      });
      for (const it of items) {
        const s =
          it.start + (text.slice(it.start, it.end).length - text.slice(it.start, it.end).trimStart().length);
        units.push({ passage, start: s, end: it.end, text: text.slice(s, it.end), kind: "item" });
      }
      i = j;
      continue;
    }
    // sentences within the line
    const lineText = raw;
    let s = 0;
    const re = /[.!?](?=\s+["“»(]?[A-ZÆØÅ0-9])/g;
    for (const m of lineText.matchAll(re)) {
      const endIdx = (m.index ?? 0) + 1;
      if (ABBREV.test(lineText.slice(Math.max(0, endIdx - 10), endIdx))) continue;
      pushSentence(units, passage, text, l.start + s, l.start + endIdx);
      s = endIdx;
    }
    pushSentence(units, passage, text, l.start + s, l.end, lineText.length < 120 ? "line" : "sentence");
    i++;
  }
  return units;
}

function pushSentence(
  units: Unit[],
  passage: Passage,
  text: string,
  start: number,
  end: number,
  kind: Unit["kind"] = "sentence",
) {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end - start < 2) return;
  units.push({ passage, start, end, text: text.slice(start, end), kind });
}

/** A row of a table as ingest rebuilds it: one line of cells separated by " | ". */
export function isTableRow(text: string): boolean {
  return !text.includes("\n") && /\S\s\|\s\S/.test(text);
}

/** Is the unit a heading (a title from the section path) or part of a table of contents? */
export function isHeading(u: Unit): boolean {
  const t = u.text.replace(/^[-•*]\s*/, "").trim();
  if (/^(indhold|indholdsfortegnelse|contents)$/i.test(u.passage.chunk.section.split(" › ")[0] ?? ""))
    return true;
  if (/[.!?:]$/.test(t) && !/^\d+(\.\d+)*\.\s/.test(t)) return false;
  // the standard sub-headings of agendas and minutes
  if (/^(indstilling|baggrund|sagsfremstilling|beslutning|bilag|resumé|resume|indhold)$/i.test(t))
    return true;
  const parts = u.passage.chunk.section.split(" › ").map((p) => fold(p.replace(/^\d+(?:\.\d+)*\.?\s*/, "")));
  const bare = fold(t.replace(/^\d+(?:\.\d+)*\.?\s*/, ""));
  return parts.includes(bare) || (/^\d+(\.\d+)*\.\s/.test(t) && t.length < 120) || /^\d{2}\s*\/\s/.test(t);
}
