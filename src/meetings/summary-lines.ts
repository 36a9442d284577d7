/**
 * The building blocks both summary writers produce: lines whose `[#i]` placeholders point
 * at quotes, and the book that numbers the quotes as citations once the whole summary is
 * assembled, so offline and LLM-written blocks can be mixed and still cite [1], [2], … in order.
 */
import { citationFor, MAX_QUOTE_CHARS } from "../answer/citations.js";
import type { Citation } from "../types.js";
import type { Quote } from "./outline.js";

export type LineKind =
  | "header"
  | "sources"
  | "group"
  | "item"
  | "recommendation"
  | "decision"
  | "fact"
  | "text";

export interface SummaryLine {
  kind: LineKind;
  /** Text with `[#i]` placeholders for `quotes[i]`. */
  text: string;
  quotes: Quote[];
}

/** One agenda item or newsletter section and its lines (title line first). */
export interface SummaryBlock {
  key: string;
  number: string | null;
  title: string;
  group: boolean;
  lines: SummaryLine[];
}

/** Numbers quotes as citations in first-use order; the same quote of the same chunk is cited once. */
export class CitationBook {
  readonly citations: Citation[] = [];
  readonly #byKey = new Map<string, number>();

  cite(q: Quote): number {
    const key = `${q.chunk.id}\u0000${q.text}`;
    const known = this.#byKey.get(key);
    if (known !== undefined) return known;
    const n = this.citations.length + 1;
    this.citations.push(citationFor({ n, chunk: q.chunk, score: 0 }, q.text, n));
    this.#byKey.set(key, n);
    return n;
  }

  /** The line's text with its placeholders replaced by citation numbers. */
  render(line: SummaryLine): string {
    return line.text.replace(/\[#(\d+)\]/g, (_whole, i: string) => {
      const q = line.quotes[Number(i)];
      return q ? `[${this.cite(q)}]` : "";
    });
  }
}

/**
 * A quote short enough to cite whole (≤ MAX_QUOTE_CHARS, cut at a word boundary so it
 * stays a substring) and the text to show for it.
 */
export function clip(q: Quote): { quote: Quote; display: string } {
  const text = q.text.trim();
  if (text.length <= MAX_QUOTE_CHARS) return { quote: { chunk: q.chunk, text }, display: displayText(text) };
  const cut = text.slice(0, MAX_QUOTE_CHARS - 1);
  const space = cut.lastIndexOf(" ");
  const kept = (space > MAX_QUOTE_CHARS * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:–-]+$/u, "");
  return { quote: { chunk: q.chunk, text: kept }, display: `${displayText(kept)} …` };
}

export const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

const BULLET_LINE = /^\s*(?:[-•*▪●–]|\d{1,2}[.)])\s+/;

/** One line to show for a quote; a quoted list reads "intro item; item; item". */
export function displayText(text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (lines.length > 1 && lines.slice(1).every((l) => BULLET_LINE.test(l))) {
    const items = lines.slice(1).map((l) => oneLine(l.replace(BULLET_LINE, "")).replace(/[.;]$/, ""));
    return `${oneLine(lines[0] ?? "")} ${items.join("; ")}.`;
  }
  return oneLine(text);
}

/** `label` + the quote shown + its marker, as one line. */
export function quoteLine(kind: LineKind, label: string, q: Quote): SummaryLine {
  const { quote, display } = clip(q);
  return { kind, text: `${label}${display} [#0]`, quotes: [quote] };
}
