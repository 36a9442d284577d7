/**
 * The summary a politician reads: the meeting on one screen. A header (KKR, date, place,
 * documents), then one line per agenda item — number, title, what kind of item it is and
 * the one fact that matters (a decision, an amount, a date, a name) — each cited. A
 * recommendation that only says what kind of item it is ("tager orienteringen til
 * efterretning") is named by its kind, not quoted.
 */
import { personNames } from "../answer/answer-shape.js";
import { findDates } from "../text/dates.js";
import type { Language } from "../types.js";
import { type ItemKind, isStandardWording, itemKind, itemKindLabel } from "./item-kind.js";
import { meetingName } from "./meetings.js";
import type { MeetingOutline, OutlineEntry, Quote } from "./outline.js";
import { hasFigure } from "./outline.js";
import { formatDate, kindName, kkrName } from "./resolve-ref.js";
import { displayText, oneLine, type SummaryBlock, type SummaryLine } from "./summary-lines.js";

/** Longest fact shown on an item line; longer sentences are cut to their weightiest clauses. */
export const MAX_FACT_CHARS = 120;
const MAX_TITLE_CHARS = 90;

const LABELS = {
  da: { meeting: "møde", at: "kl.", documents: "Dokumenter" },
  en: { meeting: "meeting", at: "at", documents: "Documents" },
} as const;

/** Title line (cited to the agenda's date/place lines or the newsletter's lead) and the documents. */
export function compactHeader(outline: MeetingOutline, lang: Language): SummaryLine[] {
  const L = LABELS[lang];
  const m = outline.meeting;
  const timeLine = outline.header.find((q) => /^(?:dato|tidspunkt|tid)/i.test(q.text));
  // A calendar meeting has no "Dato:" line; its start time comes from the meeting itself.
  const time =
    (timeLine ? /(?<!\d)(\d{1,2}[:.]\d{2})(?!\d)/.exec(timeLine.text)?.[1] : undefined) ??
    /^\d{1,2}[:.]\d{2}/.exec(m.time ?? "")?.[0];
  const title = [
    `${meetingName(m)} – ${L.meeting} ${formatDate(m.date, lang)}${time ? ` ${L.at} ${time.replace(".", ":")}` : ""}`,
    m.place,
  ]
    .filter(Boolean)
    .join(", ");
  const backing =
    outline.basis === "dagsorden" || outline.basis === "referat"
      ? outline.header
      : outline.header.slice(0, 1);
  const docs = m.documents.map((d) => `${kindName(d.kind, lang)} ${d.source}${d.url ? ` <${d.url}>` : ""}`);
  return [
    { kind: "header", text: `${title} ${backing.map((_, i) => `[#${i}]`).join("")}`.trim(), quotes: backing },
    { kind: "sources", text: `${L.documents}: ${docs.join("; ")}`, quotes: [] },
  ];
}

export interface CompactBlock extends SummaryBlock {
  itemKind: ItemKind | null;
}

/** One block of one line per agenda item (group headings are left out: their items say it). */
export function compactBlocks(outline: MeetingOutline, lang: Language): CompactBlock[] {
  const regionWords = kkrName(outline.meeting.region).split(" ");
  // A newsletter reports what happened: its sections always show their first fact, and the
  // kind of item is read from how it is reported ("KKR … godkendt", "drøftede").
  const prose = outline.basis === "nyhedsbrev" || outline.basis === "other";
  return outline.entries
    .filter((e) => !e.group)
    .map((e) => {
      const fact = keyFact(e, regionWords, { anyFact: prose });
      const kind = itemKind({
        recommendation: e.recommendation?.text ?? null,
        decision: e.decision?.text ?? (prose ? (fact?.quote.text ?? null) : null),
        title: e.title,
      });
      return {
        key: e.key,
        number: e.number,
        title: e.title,
        group: false,
        itemKind: kind,
        lines: [itemLine(e, kind, fact, lang)],
      };
    });
}

function itemLine(
  e: OutlineEntry,
  kind: ItemKind | null,
  fact: { quote: Quote; display: string } | null,
  lang: Language,
): SummaryLine {
  const title = shorten(oneLine(e.title).replace(/…$/, ""), MAX_TITLE_CHARS);
  const label = e.number ? `${e.number}${e.number.includes(".") ? "" : "."} ${title}` : title;
  const kindText = kind ? itemKindLabel(kind, lang) : null;
  if (fact) {
    const head = kindText ? `${label} – ${kindText}: `.replace(/^ – /, "") : label ? `${label}: ` : "";
    return { kind: "item", text: `${head}${fact.display} [#0]`, quotes: [fact.quote] };
  }
  // No fact: the line stands on the recommendation that gives the kind, or on the title.
  const backing = (kind ? (e.recommendation ?? e.decision) : null) ?? e.titleQuote;
  const text = kindText ? `${label} – ${kindText}` : label;
  return backing
    ? { kind: "item", text: `${text} [#0]`, quotes: [backing] }
    : { kind: "item", text, quotes: [] };
}

// ---- the one fact that matters -------------------------------------------------------

const DECISION =
  /(?<![\p{L}])(?:besluttet|besluttede|vedtaget|vedtog|godkendt|godkendte|godkendes|udpeget|udpegede|genudpeget|valgt|ansat|ansatte|bevilget|bevilgede|tiltrådt|tiltrådte|decided|approved|appointed|adopted)(?![\p{L}])/iu;
const AMOUNT =
  /\d[\d.,]*\s*(?:mio\.?|mia\.?|millioner|milliarder|million|billion|t\.?\s*)?\s*(?:kr\.?|kroner|dkk|euro|€)|\d+(?:[.,]\d+)?\s*(?:pct\.?|procent|%)/iu;

/**
 * How much a passage is worth as the item's one fact: a decision, then an amount, a date,
 * a name, any other figure. A date the title already gives ("referat fra mødet den 8.
 * september 2020") adds nothing.
 */
export function factPriority(text: string, titleDates: Set<string> = new Set()): number {
  let score = 0;
  if (DECISION.test(text)) score += 4;
  if (AMOUNT.test(text)) score += 3;
  if (findDates(text).some((d) => d.precision === "day" && !titleDates.has(d.iso))) score += 2;
  if (personNames(text).length > 0) score += 1.5;
  else if (hasFigure(text)) score += 1;
  return score;
}

const MIN_PRIORITY = 1.5;

interface Candidate {
  quote: Quote;
  priority: number;
  order: number;
}

/** The item's weightiest passage, cut to one line; null when nothing stands out. */
export function keyFact(
  e: OutlineEntry,
  regionWords: string[] = [],
  options: { anyFact?: boolean } = {},
): { quote: Quote; display: string } | null {
  const titleDates = new Set(findDates(e.title).map((d) => d.iso));
  const candidates: Candidate[] = [];
  const add = (q: Quote | null, order: number, bonus = 0) => {
    if (!q) return;
    const priority = factPriority(q.text, titleDates);
    candidates.push({ quote: q, priority: priority > 0 ? priority + bonus : 0, order });
  };
  // What the council does outweighs background of the same weight: a decision that is more
  // than "Godkendt.", a recommendation that names who, how much or when.
  if (e.decision && !isStandardWording(e.decision.text, regionWords)) add(e.decision, 0, 1);
  for (const [i, f] of e.facts.entries()) add(f, i + 1);
  if (e.recommendation && !isStandardWording(e.recommendation.text, regionWords)) {
    add(withoutFormula(e.recommendation), 99, 1);
  }
  const best = candidates
    .filter((c) => c.priority >= MIN_PRIORITY || (c.order === 0 && c.priority > 0) || options.anyFact)
    .sort((a, b) => b.priority - a.priority || a.order - b.order)[0];
  return best ? clipFact(best.quote, titleDates) : null;
}

/** "Det indstilles, at KKR … udpeger X" → "KKR … udpeger X" (still a substring of the chunk). */
function withoutFormula(q: Quote): Quote {
  const m = /^\s*det\s+indstilles,?\s+at\s+/iu.exec(q.text);
  return m ? { chunk: q.chunk, text: q.text.slice(m[0].length) } : q;
}

/**
 * A quote short enough for one line: the whole sentence when it fits, else the run of
 * clauses that carries the most (still an exact substring of the chunk), else a word cut.
 */
export function clipFact(q: Quote, titleDates: Set<string> = new Set()): { quote: Quote; display: string } {
  const text = q.text.trim();
  if (displayText(text).length <= MAX_FACT_CHARS)
    return { quote: { chunk: q.chunk, text }, display: displayText(text) };
  const cuts = [0];
  for (const m of text.matchAll(/(?:,|;|:|\s[–-])\s+/g)) cuts.push(m.index + m[0].length);
  cuts.push(text.length);
  let best: { start: number; end: number; score: number } | null = null;
  for (let i = 0; i < cuts.length - 1; i++) {
    for (let j = i + 1; j < cuts.length; j++) {
      const start = cuts[i] as number;
      const end = cuts[j] as number;
      const span = text.slice(start, end).replace(/[\s,;:–-]+$/u, "");
      if (displayText(span).length > MAX_FACT_CHARS) break;
      if (span.length < 25) continue;
      // A clause that starts mid-sentence with "som …"/"der …" doesn't read on its own.
      const dangling =
        start > 0 && /^(?:som|der|hvor|hvilket|og|men|samt|at|which|that|and|but)\b/iu.test(span);
      const score =
        factPriority(span, titleDates) + span.length / 1000 - (start > 0 ? 0.01 : 0) - (dangling ? 3 : 0);
      if (!best || score > best.score) best = { start, end: start + span.length, score };
    }
  }
  if (best) {
    const span = text.slice(best.start, best.end);
    const ends = best.end >= text.replace(/\s+$/, "").length;
    return { quote: { chunk: q.chunk, text: span }, display: `${displayText(span)}${ends ? "" : " …"}` };
  }
  const cut = shortenRaw(text, MAX_FACT_CHARS);
  return { quote: { chunk: q.chunk, text: cut }, display: `${oneLine(cut)} …` };
}

/** `text` cut at a word boundary to at most `max` characters (a substring, no ellipsis). */
function shortenRaw(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const space = head.lastIndexOf(" ");
  return (space > max * 0.6 ? head.slice(0, space) : head).replace(/[\s,;:–-]+$/u, "");
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${shortenRaw(text, max - 1)}…`;
}
