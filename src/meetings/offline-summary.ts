/**
 * The offline summary: the outline written out as lines, every content line quoting the
 * document it comes from. No model, so nothing is invented or translated: English
 * summaries get English labels around the Danish quotes.
 */
import type { Language } from "../types.js";
import { meetingName } from "./meetings.js";
import type { MeetingOutline, OutlineEntry, Quote } from "./outline.js";
import { formatDate, kindName } from "./resolve-ref.js";
import { oneLine, quoteLine, type SummaryBlock, type SummaryLine } from "./summary-lines.js";

const LABELS = {
  da: {
    meeting: "møde",
    at: "kl.",
    sources: "Dokumenter",
    recommendation: "Indstilling: ",
    decision: "Beslutning: ",
    newsletter: "Fra nyhedsbrevet: ",
  },
  en: {
    meeting: "meeting",
    at: "at",
    sources: "Documents",
    recommendation: "Recommendation: ",
    decision: "Decision: ",
    newsletter: "From the newsletter: ",
  },
} as const;

export const INDENT = "  - ";

/** The header: who met when and where (cited), then the source documents. */
export function headerLines(outline: MeetingOutline, lang: Language): SummaryLine[] {
  const L = LABELS[lang];
  const m = outline.meeting;
  const timeLine = outline.header.find((q) => /^(?:dato|tidspunkt|tid)/i.test(q.text));
  const time = timeLine ? /(?<!\d)(\d{1,2}[:.]\d{2})(?!\d)/.exec(timeLine.text)?.[1] : undefined;
  const title = [
    `${meetingName(m)} – ${L.meeting} ${formatDate(m.date, lang)}${time ? ` ${L.at} ${time.replace(".", ":")}` : ""}`,
    m.place,
  ]
    .filter(Boolean)
    .join(", ");
  const lines: SummaryLine[] = [];
  const [lead, ...rest] = outline.header;
  // Agenda: the "Dato"/"Sted" lines back the title; newsletter: its "holdt møde den …" sentence.
  const backing =
    outline.basis === "nyhedsbrev" || outline.basis === "other" ? (lead ? [lead] : []) : outline.header;
  lines.push({
    kind: "header",
    text: `${title} ${backing.map((_, i) => `[#${i}]`).join("")}`.trim(),
    quotes: backing,
  });
  if (outline.basis === "nyhedsbrev" || outline.basis === "other") {
    for (const q of rest) lines.push(quoteLine("text", "", q));
  }
  const docs = m.documents.map((d) => `${kindName(d.kind, lang)} ${d.source}${d.url ? ` <${d.url}>` : ""}`);
  lines.push({ kind: "sources", text: `${L.sources}: ${docs.join("; ")}`, quotes: [] });
  for (const q of outline.newsletter.slice(1, 2)) lines.push(quoteLine("text", L.newsletter, q));
  return lines;
}

/** The title line of an entry, quoting its heading (or, lacking one, its first line). */
export function titleLine(e: OutlineEntry): SummaryLine {
  const q: Quote | null = e.titleQuote ?? firstLine(e);
  const shown = e.titleQuote
    ? oneLine(e.titleQuote.text).replace(/^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+/, "")
    : e.title.replace(/…$/, "").trim();
  const label = e.number ? `${e.number}${e.number.includes(".") ? "" : "."} ${shown}` : shown;
  return q
    ? { kind: e.group ? "group" : "item", text: `${label} [#0]`, quotes: [q] }
    : { kind: e.group ? "group" : "item", text: label, quotes: [] };
}

function firstLine(e: OutlineEntry): Quote | null {
  const c = e.chunks[0];
  const line = c?.text.split("\n").find((l) => l.trim() !== "");
  return c && line ? { chunk: c, text: line.trim() } : null;
}

/** Recommendation, decision and key facts of one entry. */
export function contentLines(e: OutlineEntry, lang: Language): SummaryLine[] {
  const L = LABELS[lang];
  const lines: SummaryLine[] = [];
  if (e.recommendation)
    lines.push(quoteLine("recommendation", `${INDENT}${L.recommendation}`, e.recommendation));
  if (e.decision) lines.push(quoteLine("decision", `${INDENT}${L.decision}`, e.decision));
  for (const f of e.facts) lines.push(quoteLine("fact", INDENT, f));
  return lines;
}

export function offlineBlocks(outline: MeetingOutline, lang: Language): SummaryBlock[] {
  return outline.entries.map((e) => ({
    key: e.key,
    number: e.number,
    title: e.title,
    group: e.group,
    lines: [titleLine(e), ...contentLines(e, lang)],
  }));
}
