/**
 * A meeting's documents → its outline: the agenda items (or a newsletter's sections) in
 * order, each with the exact passages a summary line can quote: the item's title line, its
 * recommendation ("Indstilling"), the decision ("Beslutning", from minutes) and the key facts
 * (sentences that carry people, numbers, dates or decisions). Pure: works on chunks.
 */
import { personNames } from "../answer/answer-shape.js";
import type { Passage } from "../answer/types.js";
import { unitsOf } from "../answer/units.js";
import type { StoredChunk } from "../store/store.js";
import { findDates } from "../text/dates.js";
import type { Meeting } from "./meetings.js";

/** A passage a summary line quotes: `text` is an exact substring of `chunk.text`. */
export interface Quote {
  chunk: StoredChunk;
  text: string;
}

export interface OutlineEntry {
  /** Item number ("2.3") or, for unnumbered sections, "s1", "s2", … */
  key: string;
  number: string | null;
  title: string;
  /** The heading line as it appears in the text. */
  titleQuote: Quote | null;
  /** A parent heading ("2. Regionalpolitiske sager") whose content lives in its sub-items. */
  group: boolean;
  chunks: StoredChunk[];
  recommendation: Quote | null;
  decision: Quote | null;
  facts: Quote[];
}

export interface MeetingOutline {
  meeting: Meeting;
  /** The document the items come from: the agenda, else the minutes, else the newsletter. */
  basis: "dagsorden" | "referat" | "nyhedsbrev" | "other";
  /** "Dato: …" / "Sted: …" lines of the agenda, the newsletter's opening sentences. */
  header: Quote[];
  entries: OutlineEntry[];
  /** Opening lines of a newsletter that accompanies an agenda or minutes. */
  newsletter: Quote[];
}

export const MAX_FACTS_PER_ITEM = 4;
const MAX_FACTS_PER_SECTION = 3;
const MIN_FACT_SCORE = 1.5;
const MAX_LINE_CHARS = 300;

const SUBHEADING =
  /^(?:baggrund|indstilling|sagsfremstilling|beslutning|resumé|resume|bilag|økonomi|sagsbeskrivelse|proces|videre proces|tidsplan|lovgrundlag|kompetence|konklusion|opfølgning|forslag til beslutning|beslutningstema|fraværende|afbud|deltagere|sagens baggrund|sagens indhold)\s*:?$/i;
const DECISION_WORDS =
  /(?<![\p{L}])(?:godkend\p{L}*|besluttet|besluttede|beslutter|vedtog|vedtaget|anbefal\p{L}*|opbakning|tiltræd\p{L}*|udpeget|udpegede|udpeger|ansat|ansatte|drøftede|tog\s+\p{L}+\s+til\s+efterretning)(?![\p{L}])/iu;
const NUMBER_WORDS =
  /(?<![\p{L}])(?:to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tyve|halvdelen)\s+(?!og\b)\p{L}/iu;

/**
 * The chunks of the meeting's documents cut to the part of each document about this
 * meeting: a calendar page's other meetings (their dates, times, topics) stay out. A cut
 * chunk keeps its id; its text is a substring of the stored chunk's, so quotes from it are
 * exact substrings of the cited chunk too.
 */
export function sectionChunks(meeting: Meeting, chunks: StoredChunk[]): StoredChunk[] {
  const sections = new Map(meeting.documents.map((d) => [d.id, d.section]));
  const out: StoredChunk[] = [];
  for (const c of chunks) {
    const section = sections.get(c.docId);
    if (section === undefined) continue;
    if (section === null || (c.start >= section.start && c.end <= section.end)) {
      out.push(c);
      continue;
    }
    const start = Math.max(c.start, section.start);
    const end = Math.min(c.end, section.end);
    if (end <= start) continue;
    const shift = start - c.start;
    const inside = <T extends { offset: number }>(marks: T[] | undefined) =>
      (marks ?? [])
        .filter((m) => m.offset >= shift && m.offset < end - c.start)
        .map((m) => ({ ...m, offset: m.offset - shift }));
    const { subsections, pageBreaks, ...rest } = c;
    const subs = inside(subsections);
    const breaks = inside(pageBreaks);
    out.push({
      ...rest,
      start,
      end,
      text: c.text.slice(shift, end - c.start),
      ...(subs.length > 0 ? { subsections: subs } : {}),
      ...(breaks.length > 0 ? { pageBreaks: breaks } : {}),
    });
  }
  return out;
}

/** Builds the outline from the meeting's chunks (any order; grouped per document here). */
export function buildOutline(meeting: Meeting, chunks: StoredChunk[]): MeetingOutline {
  // Documents of which only a part is about this meeting (a calendar page's section).
  const cut = new Set(
    meeting.documents
      .filter((d) => {
        const s = d.section;
        return s !== null && chunks.some((c) => c.docId === d.id && (c.start < s.start || c.end > s.end));
      })
      .map((d) => d.id),
  );
  const byDoc = new Map<string, StoredChunk[]>();
  for (const c of sectionChunks(meeting, chunks).sort((a, b) => a.ordinal - b.ordinal)) {
    const list = byDoc.get(c.docId) ?? [];
    list.push(c);
    byDoc.set(c.docId, list);
  }
  const docChunks = (kind: string) =>
    meeting.documents.filter((d) => d.kind === kind).map((d) => byDoc.get(d.id) ?? []);
  const agenda = docChunks("dagsorden").find((c) => c.length > 0);
  const minutes = docChunks("referat").find((c) => c.length > 0);
  const newsletter = docChunks("nyhedsbrev").find((c) => c.length > 0);
  const other = meeting.documents
    .filter((d) => !["dagsorden", "referat", "nyhedsbrev"].includes(d.kind))
    .map((d) => byDoc.get(d.id) ?? [])
    .find((c) => c.length > 0);

  const header: Quote[] = [];
  let entries: OutlineEntry[] = [];
  let basis: MeetingOutline["basis"] = "other";
  const itemDoc = agenda ?? minutes;
  if (itemDoc) {
    basis = agenda ? "dagsorden" : "referat";
    header.push(...headerLines(itemDoc));
    entries = numberedEntries(itemDoc);
    if (agenda && minutes) mergeMinutes(entries, numberedEntries(minutes));
    if (entries.length === 0) entries = sectionEntries(itemDoc);
  } else if (newsletter ?? other) {
    basis = newsletter ? "nyhedsbrev" : "other";
    const doc = (newsletter ?? other)!;
    if (cut.has(doc[0]?.docId ?? "")) {
      // One meeting's part of a page: its announcement and place, then its topics.
      header.push(...sectionHeader(doc));
      entries = topicEntries(doc);
    } else {
      header.push(...newsletterLead(doc));
      entries = sectionEntries(doc).filter((e) => !isTitleSection(e, doc));
    }
    entries.forEach((e, i) => {
      e.key = `s${i + 1}`;
    });
  }
  for (const e of entries) {
    // Section labels are cut at 120 characters; the heading line in the text is whole.
    if (e.titleQuote) e.title = oneLine(e.titleQuote.text).replace(/^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+/, "");
    fillEntry(e, basis === "nyhedsbrev" || basis === "other");
  }
  return {
    meeting,
    basis,
    header,
    entries,
    newsletter: itemDoc && newsletter ? newsletterLead(newsletter) : [],
  };
}

// ---- structure -------------------------------------------------------------------

const NUMBERED_SEGMENT = /^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.*)$/u;

function compareNumbers(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** Entries from the numbered headings in the chunks' section paths, in number order. */
function numberedEntries(chunks: StoredChunk[]): OutlineEntry[] {
  const byNumber = new Map<string, OutlineEntry>();
  const entry = (number: string, title: string) => {
    let e = byNumber.get(number);
    if (!e) {
      e = blankEntry(number, number, title);
      byNumber.set(number, e);
    }
    return e;
  };
  for (const c of chunks) {
    let deepest: OutlineEntry | null = null;
    for (const segment of c.section.split(" › ")) {
      const m = NUMBERED_SEGMENT.exec(segment.trim());
      if (m?.[1] && m[2]) deepest = entry(m[1], m[2].trim());
    }
    // A chunk outside any numbered heading path but with an item number still belongs to it.
    if (!deepest && c.item) deepest = entry(c.item, c.item);
    deepest?.chunks.push(c);
  }
  const entries = [...byNumber.values()].sort((a, b) => compareNumbers(a.key, b.key));
  for (const e of entries) {
    e.group = entries.some((o) => o !== e && o.key.startsWith(`${e.key}.`));
    e.titleQuote = findTitleLine(e, entries);
  }
  return entries;
}

/** Unnumbered documents (newsletters): one entry per heading, in order of appearance. */
function sectionEntries(chunks: StoredChunk[]): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  const byLabel = new Map<string, OutlineEntry>();
  for (const c of chunks) {
    // The top heading of the path names the section; sub-headings stay inside it.
    const label = c.section.split(" › ")[0]?.trim() ?? "";
    let e = byLabel.get(label);
    if (!e) {
      e = blankEntry(`s${entries.length + 1}`, null, label);
      byLabel.set(label, e);
      entries.push(e);
    }
    e.chunks.push(c);
  }
  for (const e of entries) e.titleQuote = e.title ? findTitleLine(e, entries) : null;
  return entries;
}

/**
 * The lines of a page section that say when and where ("KKR X afholder sit møde den …",
 * "Mødet finder sted i …", "Sted: …"): its first line and the lines about the meeting itself.
 */
function sectionHeader(chunks: StoredChunk[]): Quote[] {
  const out: Quote[] = [];
  chunks.forEach((c, ci) => {
    lineSpans(c.text).forEach((line, li) => {
      const t = c.text.slice(line.start, line.end);
      const first = ci === 0 && li === 0;
      if (
        t.length <= MAX_LINE_CHARS &&
        (first || /^(?:mødet\b|sted\s*:|mødested\s*:|tid\s*:|tidspunkt\s*:)/i.test(t))
      )
        out.push({ chunk: c, text: t });
    });
  });
  return out;
}

/** The topics a page lists for a meeting ("drøfter bl.a. følgende på mødet:" and its items), one entry each. */
function topicEntries(chunks: StoredChunk[]): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  for (const c of chunks) {
    for (const line of lineSpans(c.text)) {
      const t = c.text.slice(line.start, line.end);
      const item = /^(?:[-•*▪●–]|\d{1,2}[.)])\s+(\S.*)$/u.exec(t)?.[1];
      if (!item || item.length > MAX_LINE_CHARS) continue;
      const e = blankEntry(`s${entries.length + 1}`, null, item);
      e.titleQuote = { chunk: c, text: item };
      entries.push(e);
    }
  }
  return entries;
}

function blankEntry(key: string, number: string | null, title: string): OutlineEntry {
  return {
    key,
    number,
    title,
    titleQuote: null,
    group: false,
    chunks: [],
    recommendation: null,
    decision: null,
    facts: [],
  };
}

/** The section label is cut at 120 characters ("…"); the heading line in the text is whole. */
function findTitleLine(e: OutlineEntry, all: OutlineEntry[]): Quote | null {
  const label = e.title.replace(/…$/, "").trim();
  const prefix = label.slice(0, 40);
  // A group's heading usually sits in its first sub-item's first chunk.
  const pool = [...e.chunks, ...all.filter((o) => o.key.startsWith(`${e.key}.`)).flatMap((o) => o.chunks)];
  for (const c of pool) {
    for (const line of lineSpans(c.text)) {
      const t = c.text.slice(line.start, line.end);
      const body = e.number ? t.replace(/^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+/, "") : t;
      if (e.number && !new RegExp(`^${e.number.replaceAll(".", "\\.")}\\.?\\s`).test(t)) continue;
      if (body.startsWith(prefix) && t.length <= MAX_LINE_CHARS) return { chunk: c, text: t };
    }
  }
  return null;
}

function lineSpans(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let pos = 0;
  for (const raw of text.split("\n")) {
    let s = pos;
    let e = pos + raw.length;
    while (s < e && /\s/.test(text.charAt(s))) s++;
    while (e > s && /\s/.test(text.charAt(e - 1))) e--;
    if (e > s) out.push({ start: s, end: e });
    pos += raw.length + 1;
  }
  return out;
}

/** Minutes add their decisions to the agenda's items (and items the agenda lacks). */
function mergeMinutes(entries: OutlineEntry[], fromMinutes: OutlineEntry[]): void {
  for (const m of fromMinutes) {
    const e = entries.find((x) => x.key === m.key);
    if (e) {
      e.decision = paragraphAfter(m.chunks, /^beslutning(?![\p{L}])\s*:?/iu);
    } else {
      entries.push(m);
    }
  }
  entries.sort((a, b) => compareNumbers(a.key, b.key));
}

function isTitleSection(e: OutlineEntry, doc: StoredChunk[]): boolean {
  if (e.title === "") return true;
  if (/^(?:nyhedsbrev|newsletter)\b/i.test(e.title)) return true;
  return e.title === doc[0]?.title;
}

// ---- lines -----------------------------------------------------------------------

/** "Dato: 11-11-2020 10:00" and "Sted: Virtuelt via Teams" from the agenda's first chunks. */
function headerLines(chunks: StoredChunk[]): Quote[] {
  const out: Quote[] = [];
  for (const c of chunks.slice(0, 3)) {
    for (const line of lineSpans(c.text)) {
      const t = c.text.slice(line.start, line.end);
      if (/^(?:dato|tidspunkt|sted|mødested|tid og sted)\s*:/i.test(t) && t.length <= MAX_LINE_CHARS) {
        out.push({ chunk: c, text: t });
      }
    }
    if (out.length > 0) break;
  }
  return out;
}

/** The newsletter's opening: "KKR Sjælland holdt møde den …" and what was discussed. */
function newsletterLead(chunks: StoredChunk[]): Quote[] {
  const first = chunks[0];
  if (!first) return [];
  const units = unitsOf(passageOf(first)).filter((u) => u.kind === "sentence" || u.kind === "line");
  const lead = units.find((u) => /\b(?:holdt|afholdt|havde)\b.*\bmøde\b/i.test(u.text));
  const pick = lead ? units.slice(units.indexOf(lead), units.indexOf(lead) + 2) : units.slice(0, 1);
  return pick.filter((u) => /[.!?:]$/.test(u.text)).map((u) => ({ chunk: first, text: u.text }));
}

/**
 * The paragraph under a heading ("Indstilling", "Beslutning") in the entry's chunks, also
 * when it is written inline ("Beslutning: Godkendt.").
 */
export function paragraphAfter(chunks: StoredChunk[], heading: RegExp): Quote | null {
  for (let ci = 0; ci < chunks.length; ci++) {
    const c = chunks[ci]!;
    const lines = lineSpans(c.text);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const t = c.text.slice(line.start, line.end);
      const m = heading.exec(t);
      if (m?.index !== 0) continue;
      const inline = t.slice(m[0].length).trim();
      if (inline.length > 2 && SUBHEADING.test(t.slice(0, m[0].length).trim())) {
        return { chunk: c, text: t.slice(t.length - inline.length) };
      }
      if (inline.length > 0) continue;
      const next = lines[i + 1];
      if (next) {
        const body = c.text.slice(next.start, next.end);
        if (!SUBHEADING.test(body)) return { chunk: c, text: body };
      } else {
        // The heading closed the chunk: its paragraph opens the next one.
        const following = chunks[ci + 1];
        const first = following ? lineSpans(following.text)[0] : undefined;
        if (following && first) {
          const body = following.text.slice(first.start, first.end);
          if (!SUBHEADING.test(body) && !heading.test(body)) return { chunk: following, text: body };
        }
      }
    }
  }
  return null;
}

function passageOf(chunk: StoredChunk): Passage {
  return { n: 0, chunk, score: 0 };
}

/** How much a sentence is worth as a key fact: people, figures, dates, decisions. */
export function factScore(text: string): number {
  let score = 0;
  if (personNames(text).length > 0) score += 2;
  if (hasFigure(text)) score += 1.5;
  if (findDates(text).some((d) => d.precision !== "year")) score += 1;
  if (DECISION_WORDS.test(text)) score += 1;
  return score;
}

/** Digits that are not dates, years, case numbers, item numbers or names like DK2020. */
export function hasFigure(text: string): boolean {
  let t = text;
  for (const d of [...findDates(text, { bareYears: true })].reverse()) {
    t = `${t.slice(0, d.index)} ${t.slice(d.index + d.length)}`;
  }
  t = t
    .replace(/\bSAG-\d+-\d+\b/gi, " ")
    .replace(/\b\p{L}+-?\d+\b/gu, " ")
    .replace(/(?:^|\s)\d{1,2}(?:\.\d{1,2})+\.?(?=\s)/g, " ")
    .replace(/\b(?:19|20)\d\d\s*[-/]\s*(?:19|20)?\d\d\b/g, " ");
  return /\d/.test(t) || NUMBER_WORDS.test(t);
}

interface FactUnit {
  start: number;
  end: number;
  text: string;
  kind: "sentence" | "line" | "list" | "item";
}

const CUT_ABBREV = /(?:^|\s)(?:pr|ca|jf|kl|nr|mht|vedr|bl\.a)\.$/i;

/**
 * The chunk's sentences, list items and short lists, with sentences that a line break or
 * an abbreviation ("pr. 30. oktober") cut in two joined again.
 */
function factUnits(c: StoredChunk): FactUnit[] {
  const out: FactUnit[] = [];
  for (const u of unitsOf(passageOf(c))) {
    const last = out[out.length - 1];
    const prose = (k: FactUnit["kind"]) => k === "sentence" || k === "line";
    if (
      last &&
      prose(u.kind) &&
      prose(last.kind) &&
      u.start >= last.end &&
      c.text.slice(last.end, u.start).trim() === "" &&
      !c.text.slice(last.end, u.start).includes("\n\n") &&
      (/^\p{Ll}/u.test(u.text) || CUT_ABBREV.test(last.text))
    ) {
      last.end = u.end;
      last.text = c.text.slice(last.start, u.end);
      last.kind = "sentence";
      continue;
    }
    out.push({ start: u.start, end: u.end, text: u.text, kind: u.kind });
  }
  return out;
}

function fillEntry(e: OutlineEntry, prose: boolean): void {
  if (e.group && e.chunks.every((c) => c.text.trim().length < 200)) return;
  e.recommendation ??=
    paragraphAfter(e.chunks, /^indstilling(?:er)?(?![\p{L}])\s*:?/iu) ??
    sentenceWith(e.chunks, /\bindstilles\b/i);
  e.decision ??= paragraphAfter(e.chunks, /^beslutning(?![\p{L}])\s*:?/iu);
  const skip = [e.recommendation, e.decision, e.titleQuote].filter((q): q is Quote => q !== null);
  const seen = new Set(skip.map((q) => norm(q.text)));
  const candidates: { quote: Quote; score: number; order: number; start: number; end: number }[] = [];
  let order = 0;
  for (const c of e.chunks) {
    for (const u of factUnits(c)) {
      order++;
      let { text, start } = u;
      if (u.kind === "list") {
        // A short list is quoted whole with the line that introduces it ("… følgende temaer:").
        if (text.length > MAX_LINE_CHARS || !/:\s*$/.test(text.split("\n")[0] ?? "")) continue;
      } else if (u.kind === "item") {
        const bullet = /^\s*(?:[-•*▪●–]|\d{1,2}[.)])\s+/.exec(text)?.[0] ?? "";
        text = text.slice(bullet.length);
        start += bullet.length;
      } else if (!/[.!?]$/.test(text)) {
        // Headings and table rows end without punctuation.
        continue;
      }
      if (text.length < 25 || SUBHEADING.test(text) || /^SAG-/i.test(text)) continue;
      const key = norm(text);
      if (seen.has(key) || skip.some((q) => q.chunk.id === c.id && q.text.includes(text))) continue;
      seen.add(key);
      candidates.push({
        quote: { chunk: c, text },
        score: factScore(text),
        order,
        start,
        end: start + text.length,
      });
    }
  }
  const max = prose ? MAX_FACTS_PER_SECTION : MAX_FACTS_PER_ITEM;
  const ranked = candidates.sort((a, b) => b.score - a.score || a.order - b.order);
  const pick = (min: number, limit: number, into: typeof candidates) => {
    for (const cand of ranked) {
      if (into.length >= limit) break;
      if (cand.score < min || into.includes(cand)) continue;
      // A list and its own items or intro are one fact.
      const overlaps = into.some(
        (p) => p.quote.chunk.id === cand.quote.chunk.id && p.start < cand.end && cand.start < p.end,
      );
      if (!overlaps) into.push(cand);
    }
    return into;
  };
  let picked = pick(MIN_FACT_SCORE, max, []);
  // An item with nothing that stands out still gets its dated or decided sentences.
  if (picked.length === 0) picked = pick(1, 2, picked);
  // A newsletter section always says something: its first sentence when nothing stands out.
  if (picked.length === 0 && prose) {
    const first = candidates
      .filter((c) => c.quote.text.length >= 40 && /[.!?]$/.test(c.quote.text))
      .sort((a, b) => a.order - b.order)[0];
    if (first) picked = [first];
  }
  e.facts = picked.sort((a, b) => a.order - b.order).map((p) => p.quote);
}

function sentenceWith(chunks: StoredChunk[], re: RegExp): Quote | null {
  for (const c of chunks) {
    const u = unitsOf(passageOf(c)).find((x) => x.kind !== "list" && re.test(x.text));
    if (u) return { chunk: c, text: u.text };
  }
  return null;
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
const norm = (s: string) => oneLine(s).toLowerCase();
