/**
 * Cleaned document text → chunks that follow the document's structure: a section path from
 * its headings (markdown hints, numbered agenda items, ALL-CAPS lines, "01 / …" section
 * titles, headline-like lines), lists kept with the line that introduces them, breaks at
 * paragraph or sentence ends, a one-sentence overlap, and exact offsets into the text.
 * Linear in the text length, so a 5 MB single line costs no more than 5 MB of prose.
 */
import { findDates } from "../src/text/dates.js";
import type { Chunk } from "../src/types.js";
import { type HeadingHint, KNOWN_SUBHEADINGS } from "./clean.js";

export type DraftChunk = Omit<Chunk, "id" | "docId">;

export interface ChunkOptions {
  headingHints: HeadingHint[];
  pageOffsets: number[];
  /** Upper bound on chunk length in characters (default 1200). */
  maxChars?: number;
  /** A paragraph or list-item break is preferred once a chunk is this long (default 500). */
  minChars?: number;
  /**
   * Offsets where a chunk must start (the parts of a page about different meetings):
   * no chunk spans one, however small the parts are.
   */
  boundaries?: number[];
}

export const SECTION_SEPARATOR = " › ";

const DEFAULT_MAX = 1200;
const DEFAULT_MIN = 500;
/** Sections shorter than this merge into the next one when it is their child or sibling. */
const TINY_SECTION = 300;
/** The previous chunk's last sentence is repeated when it is at most this long. */
const MAX_OVERLAP = 300;
/** Longer lines are never headings, which also keeps heading regexes off huge lines. */
const MAX_HEADING_LINE = 200;

// Heading ranks: lower is higher in the hierarchy; a heading pops every entry ranked >= it.
const RANK_SECTION = 10; // "01 / SAMARBEJDET I KKR"
const RANK_NUMBERED = 20; // + depth: "2." → 21, "2.3" → 22
const RANK_SUBHEADING = 31; // "Indstilling" inside an agenda item
const RANK_SUB_OTHER = 32; // any other heading inside an agenda item
const RANK_PLAIN = 40; // + hint level outside agenda items
const RANK_CAPS = 41;
const RANK_KNOWN_PLAIN = 45;
const RANK_TITLE_LIKE = 48;

interface HeadingInfo {
  label: string;
  /** Agenda item number without trailing dot ("2.3"), for numbered headings. */
  number: string | null;
  /** Fixed rank, or null to rank by context (inside an agenda item or not). */
  rank: number | null;
  kind: "section" | "numbered" | "known" | "hint" | "caps" | "title";
  hint: number;
}

interface LineInfo {
  start: number;
  end: number;
  text: string;
  blank: boolean;
  hint: number;
  list: boolean;
  heading: HeadingInfo | null;
}

// No `i` flag: under it \p{Lu} also matches lower case, and item titles start with a capital.
const NUMBERED =
  /^(?:(?:[Pp]unkt|[Pp]kt\.?)\s*)?(\d{1,2}(?:\.\d{1,2}){0,3})(\.?)(?::|\s)\s*(\p{Lu}|\p{N})(.*)$/u;
const SECTION_TITLE = /^(\d{1,2})\s*\/\s+(\S.*)$/u;
const LIST_LINE = /^(?:[-•*]\s|\d{1,3}\)\s|[a-zæøå]\)\s)/u;

function isDateOnly(t: string): boolean {
  const d = findDates(t);
  const first = d[0];
  if (d.length !== 1 || !first) return false;
  const rest = (t.slice(0, first.index) + t.slice(first.index + first.length)).replace(
    /\b(?:den|d\.|mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)\b|[\s,.-]/giu,
    "",
  );
  return rest.length <= 2;
}

function isAllCaps(t: string): boolean {
  if (t.length > 120 || /[:;,]$/.test(t)) return false;
  let upper = 0;
  for (const ch of t) {
    if (/\p{Ll}/u.test(ch)) return false;
    if (/\p{Lu}/u.test(ch)) upper++;
  }
  return upper >= 4 && t.split(/\s+/).length <= 14 && !isDateOnly(t);
}

const cleanLabel = (s: string) => {
  const t = s.replace(/\s+/g, " ").replace(/\s*:$/, "").trim();
  return t.length > 120 ? `${t.slice(0, 119).trimEnd()}…` : t;
};

function splitLines(text: string, hints: HeadingHint[]): LineInfo[] {
  const sortedHints = [...hints].sort((a, b) => a.start - b.start);
  const lines: LineInfo[] = [];
  let hi = 0;
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = text.length;
    // Trim the line's own spaces so offsets point at its first and last visible character.
    let s = pos;
    let e = nl;
    while (s < e && /\s/.test(text.charAt(s))) s++;
    while (e > s && /\s/.test(text.charAt(e - 1))) e--;
    while (hi < sortedHints.length && (sortedHints[hi]?.start ?? 0) < pos) hi++;
    let hint = 0;
    while (hi < sortedHints.length && (sortedHints[hi]?.start ?? 0) <= nl) {
      hint = hint || (sortedHints[hi]?.level ?? 0);
      hi++;
    }
    const t = e - s <= MAX_HEADING_LINE ? text.slice(s, e) : "";
    lines.push({
      start: s,
      end: e,
      text: t,
      blank: s === e,
      hint,
      list: e - s <= MAX_HEADING_LINE ? LIST_LINE.test(t) : LIST_LINE.test(text.slice(s, s + 4)),
      heading: null,
    });
    pos = nl + 1;
  }
  return lines;
}

/** Decides which lines are headings, using the neighbouring lines for context. */
function classify(lines: LineInfo[]): void {
  const prevNonBlank = (i: number) => {
    for (let j = i - 1; j >= 0; j--) if (!lines[j]?.blank) return j;
    return -1;
  };
  const nextNonBlank = (i: number) => {
    for (let j = i + 1; j < lines.length; j++) if (!lines[j]?.blank) return j;
    return -1;
  };
  const numberedDepth = (l: LineInfo | undefined) => {
    if (!l || l.blank || l.text === "") return -1;
    const m = NUMBERED.exec(l.text);
    return m ? (m[1] ?? "").split(".").length : -1;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line || line.blank || line.text === "" || line.list) continue;
    const t = line.text;
    const prev = lines[prevNonBlank(i)];
    const afterIntro =
      prev !== undefined && /:$/.test(prev.text) && prev.end - prev.start <= MAX_HEADING_LINE;
    const section = SECTION_TITLE.exec(t);
    if (section && /\p{L}{3}/u.test(section[2] ?? "")) {
      line.heading = {
        label: cleanLabel(t),
        number: null,
        rank: RANK_SECTION,
        kind: "section",
        hint: line.hint,
      };
      continue;
    }
    const num = NUMBERED.exec(t);
    if (num) {
      const number = num[1] ?? "";
      const depth = number.split(".").length;
      const title = `${num[3] ?? ""}${num[4] ?? ""}`.trim();
      const hasDot = num[2] === "." || t.slice(number.length).trimStart().startsWith(":");
      const sameDepthNeighbour =
        (!lines[i - 1]?.blank && numberedDepth(lines[i - 1]) === depth) ||
        (!lines[i + 1]?.blank && numberedDepth(lines[i + 1]) === depth);
      const looksLikeItem =
        title.length <= 150 &&
        !/[.;,]$/.test(title) &&
        (depth > 1 || hasDot) &&
        !isDateOnly(t) &&
        (line.hint > 0 || (!afterIntro && !sameDepthNeighbour && !prev?.list));
      if (looksLikeItem) {
        const label = `${number}${depth === 1 ? "." : ""} ${cleanLabel(title)}`;
        line.heading = { label, number, rank: RANK_NUMBERED + depth, kind: "numbered", hint: line.hint };
        continue;
      }
      if (line.hint === 0) {
        line.list = true;
        continue;
      }
    }
    if (KNOWN_SUBHEADINGS.test(t)) {
      line.heading = { label: cleanLabel(t), number: null, rank: null, kind: "known", hint: line.hint };
      continue;
    }
    if (line.hint > 0) {
      if (!/[:]$/.test(t) || t.length < 40) {
        line.heading = { label: cleanLabel(t), number: null, rank: null, kind: "hint", hint: line.hint };
      }
      continue;
    }
    if (isAllCaps(t)) {
      line.heading = { label: cleanLabel(t), number: null, rank: null, kind: "caps", hint: 0 };
      continue;
    }
    // A headline without markup: alone between blank lines and followed by a real paragraph.
    const ni = nextNonBlank(i);
    const next = lines[ni];
    if (
      next &&
      ni > i + 1 &&
      (i === 0 || lines[i - 1]?.blank) &&
      t.length >= 3 &&
      t.length <= 150 &&
      /^\p{Lu}/u.test(t) &&
      !/[.,;:]$/.test(t) &&
      !/[.!?]\s+\p{Lu}/u.test(t) &&
      // a page's own date line ("Opdateret 02.12.2024") or a bare date is not a headline
      !isDateOnly(t) &&
      !/^(?:sidst\s+)?(?:opdateret|publiceret|udgivet|senest\s+ændret|last\s+updated|published)\b/iu.test(
        t,
      ) &&
      t.split(/\s+/).length <= 20 &&
      !next.list &&
      next.heading === null &&
      next.end - next.start > t.length &&
      (next.end - next.start >= 80 || /[.!?:]$/.test(next.text))
    ) {
      line.heading = { label: cleanLabel(t), number: null, rank: null, kind: "title", hint: 0 };
    }
  }
}

interface Section {
  path: string[];
  /** Per path entry: true when it is a numbered agenda item. */
  numbered: boolean[];
  item: string | null;
}

interface Atom {
  start: number;
  end: number;
  section: number;
  /**
   * How good a break before this atom is: 4 always (a boundary), 3 section start,
   * 2 paragraph, 1 list item, 0 sentence, -1 never unless forced (after a heading, between
   * a list and its intro).
   */
  breakBefore: number;
  sentence: boolean;
  heading: boolean;
}

const ABBREVIATIONS = new Set(
  (
    "fx f.eks bl.a ca pct kr mio mia nr jf mv m.v osv dvs evt inkl ekskl hhv pga m.fl vedr tlf stk kl " +
    "s ang iht ift mht vha lign sml bl m.m o.l jan feb mar apr jun jul aug sep sept okt nov dec " +
    "dr hr fr mr mrs ms prof etc e.g i.e vs no st ref tel att cf approx incl"
  ).split(" "),
);

const SENTENCE_END = /[.!?…]+["'”’»)\]]*\s+(?=["'“„«([-]?[\p{Lu}\p{N}])/gu;

/** Sentence end offsets (exclusive) inside text[s, e), abbreviation-aware. */
function sentenceEnds(text: string, s: number, e: number): number[] {
  const ends: number[] = [];
  const span = text.slice(s, e);
  for (const m of span.matchAll(SENTENCE_END)) {
    const punctEnd = m.index + m[0].trimEnd().length;
    const before = /(\S+)$/u.exec(span.slice(Math.max(0, m.index - 24), m.index + 1))?.[1] ?? "";
    const word = before
      .replace(/^[("'“„«]+/, "")
      .replace(/\.$/, "")
      .toLowerCase();
    if (before.endsWith(".") && (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word))) continue;
    ends.push(s + punctEnd);
  }
  return ends;
}

/** Splits [s, e) into pieces of at most `max` characters at whitespace where possible. */
function hardSplit(text: string, s: number, e: number, max: number): [number, number][] {
  const out: [number, number][] = [];
  let a = s;
  while (e - a > max) {
    let b = a + max;
    const floor = Math.max(a + Math.floor(max / 2), b - 200);
    let w = b;
    while (w > floor && !/\s/.test(text.charAt(w))) w--;
    if (w > floor) b = w;
    else {
      const c = text.charCodeAt(b - 1);
      if (c >= 0xd800 && c <= 0xdbff) b--; // never split a surrogate pair
    }
    let end = b;
    while (end > a && /\s/.test(text.charAt(end - 1))) end--;
    out.push([a, end]);
    a = b;
    while (a < e && /\s/.test(text.charAt(a))) a++;
  }
  if (a < e) out.push([a, e]);
  return out;
}

const isPrefix = (a: string[], b: string[]) => a.length <= b.length && a.every((x, i) => x === b[i]);

/** Chunks a cleaned document. `text === fullText.slice(start, end)` holds for every chunk. */
export function chunkDocument(text: string, opts: ChunkOptions): DraftChunk[] {
  const max = Math.max(200, opts.maxChars ?? DEFAULT_MAX);
  const min = Math.min(max, opts.minChars ?? DEFAULT_MIN);
  const lines = splitLines(text, opts.headingHints);
  classify(lines);

  // Sections and atoms in one pass over the lines.
  const sections: Section[] = [{ path: [], numbered: [], item: null }];
  const stack: { rank: number; label: string; number: string | null }[] = [];
  const atoms: Atom[] = [];
  let section = 0;
  let pendingBreak = 3; // break priority before the next atom
  let inList = false;
  let lastWasIntroText = false;

  const pushSpan = (s: number, e: number, firstBreak: number, sentence: boolean) => {
    const pieces: [number, number][] = [];
    // A list item is one atom unless it is too long to fit a chunk.
    if (sentence || e - s > max) {
      let a = s;
      for (const end of sentenceEnds(text, s, e)) {
        pieces.push([a, end]);
        a = end;
        while (a < e && /\s/.test(text.charAt(a))) a++;
      }
      if (a < e) pieces.push([a, e]);
    } else pieces.push([s, e]);
    let br = firstBreak;
    for (const [ps, pe] of pieces) {
      for (const [hs, he] of pe - ps > max ? hardSplit(text, ps, pe, max) : [[ps, pe] as [number, number]]) {
        atoms.push({ start: hs, end: he, section, breakBefore: br, sentence, heading: false });
        br = 0;
      }
    }
  };

  let paraStart = -1;
  let paraEnd = -1;
  let paraBreak = 2;
  const flushPara = () => {
    if (paraStart < 0) return;
    pushSpan(paraStart, paraEnd, paraBreak, true);
    paraStart = -1;
    lastWasIntroText = true;
  };

  const boundaries = [...new Set(opts.boundaries ?? [])].sort((a, b) => a - b);
  let nextBoundary = 0;
  for (const line of lines) {
    if (!line.blank && nextBoundary < boundaries.length && (boundaries[nextBoundary] ?? 0) <= line.start) {
      // A boundary before this line: whatever came before is closed.
      flushPara();
      while (nextBoundary < boundaries.length && (boundaries[nextBoundary] ?? 0) <= line.start)
        nextBoundary++;
      inList = false;
      lastWasIntroText = false;
      if (pendingBreak < 2) pendingBreak = 2;
    }
    if (line.blank) {
      flushPara();
      if (pendingBreak < 2) pendingBreak = 2;
      continue;
    }
    const h = line.heading;
    if (h) {
      flushPara();
      const inItem = stack.some((x) => x.number !== null);
      const rank =
        h.rank ??
        (inItem
          ? h.kind === "known"
            ? RANK_SUBHEADING
            : RANK_SUB_OTHER
          : h.kind === "hint"
            ? RANK_PLAIN + h.hint
            : h.kind === "caps"
              ? RANK_CAPS
              : h.kind === "known"
                ? RANK_KNOWN_PLAIN
                : RANK_TITLE_LIKE);
      while (stack.length > 0 && (stack[stack.length - 1]?.rank ?? 0) >= rank) stack.pop();
      stack.push({ rank, label: h.label, number: h.number });
      const numbers = stack.map((x) => x.number);
      sections.push({
        path: stack.map((x) => x.label),
        numbered: numbers.map((n) => n !== null),
        item: numbers.filter((n) => n !== null).pop() ?? null,
      });
      section = sections.length - 1;
      atoms.push({
        start: line.start,
        end: line.end,
        section,
        breakBefore: 3,
        sentence: false,
        heading: true,
      });
      pendingBreak = -1;
      inList = false;
      lastWasIntroText = false;
      continue;
    }
    if (line.list) {
      // A list item: its own atom; the first one stays with whatever introduced it.
      const introduced = paraStart >= 0 || lastWasIntroText;
      flushPara();
      const br = inList ? 1 : introduced || pendingBreak === -1 ? -1 : pendingBreak;
      pushSpan(line.start, line.end, atoms.length === 0 ? 3 : br, false);
      inList = true;
      pendingBreak = 1;
      lastWasIntroText = false;
      continue;
    }
    if (inList && pendingBreak === 1) {
      // A continuation line of the list item above (wrapped PDF line): extend that item.
      const last = atoms[atoms.length - 1];
      if (last && !last.sentence && line.end - last.start <= max) {
        last.end = line.end;
        continue;
      }
    }
    if (paraStart < 0) {
      paraStart = line.start;
      paraBreak = atoms.length === 0 ? 3 : pendingBreak === -1 ? -1 : inList ? 2 : Math.max(pendingBreak, 0);
      inList = false;
    }
    paraEnd = line.end;
    pendingBreak = 0;
  }
  flushPara();
  markBoundaries(atoms, boundaries);
  return pack(text, atoms, sections, opts.pageOffsets, max, min);
}

/** The first atom at or after each boundary must start a chunk. */
function markBoundaries(atoms: Atom[], boundaries: number[]): void {
  let b = 0;
  atoms.forEach((atom, i) => {
    let crossed = false;
    while (b < boundaries.length && (boundaries[b] ?? 0) <= atom.start) {
      crossed = true;
      b++;
    }
    if (crossed && i > 0) atom.breakBefore = 4;
  });
}

function pageOf(offsets: number[], at: number): number | null {
  if (offsets.length === 0) return null;
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] ?? 0) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * The section a chunk spanning several sections belongs to: the common part of their paths,
 * ignoring a parent that contributes only its heading line ("2. Regionalpolitiske sager"
 * directly followed by "2.1 …" names the chunk after 2.1).
 */
function combine(
  sections: Section[],
  ids: number[],
  weights: Map<number, number>,
  withBody: Set<number>,
): Section {
  const uniqIds = [...new Set(ids)];
  const only = uniqIds.length === 1 ? sections[uniqIds[0] ?? 0] : undefined;
  if (only) return only;
  const uniq = uniqIds
    .map((i) => ({ id: i, s: sections[i] }))
    .filter((x): x is { id: number; s: Section } => x.s !== undefined);
  const leaves = uniq
    .filter(
      (x) =>
        withBody.has(x.id) ||
        !uniq.some((o) => o.s.path.length > x.s.path.length && isPrefix(x.s.path, o.s.path)),
    )
    .map((x) => x.s);
  const first = leaves[0];
  if (!first) return { path: [], numbered: [], item: null };
  let n = first.path.length;
  for (const s of leaves) {
    let k = 0;
    while (k < n && k < s.path.length && s.path[k] === first.path[k]) k++;
    n = k;
  }
  if (n === 0) {
    // Unrelated top-level sections (cover pages): name the chunk after its largest part.
    let best = first;
    let bestW = -1;
    for (const id of new Set(ids)) {
      const w = weights.get(id) ?? 0;
      const s = sections[id];
      if (s && w > bestW) {
        best = s;
        bestW = w;
      }
    }
    return best;
  }
  const numbered = first.numbered.slice(0, n);
  let item: string | null = null;
  const path = first.path.slice(0, n);
  for (let k = n - 1; k >= 0 && item === null; k--) {
    if (numbered[k]) item = /^[\d.]+/.exec(path[k] ?? "")?.[0]?.replace(/\.$/, "") ?? null;
  }
  return { path, numbered, item };
}

/**
 * Tiny section `a` may absorb section `b` when `b` is its child, or its sibling under an
 * unnumbered heading. Content never runs into a new agenda item; a bare heading may.
 */
function mergeable(a: Section, b: Section, hasBody: boolean): boolean {
  if (isPrefix(a.path, b.path)) return true;
  if (hasBody && b.numbered.some((n, k) => n && b.path[k] !== a.path[k])) return false;
  if (a.path.length === 0) return true;
  if (a.numbered[a.numbered.length - 1]) return false;
  return isPrefix(a.path.slice(0, -1), b.path);
}

function pack(
  text: string,
  atoms: Atom[],
  sections: Section[],
  pageOffsets: number[],
  max: number,
  min: number,
): DraftChunk[] {
  const chunks: DraftChunk[] = [];
  let i = 0;
  while (i < atoms.length) {
    const first = atoms[i];
    if (!first) break;
    const start = first.start;
    let k = i + 1;
    let forcedEnd = false;
    let currentSection = first.section;
    const merged = new Set<number>(); // section boundaries absorbed by tiny-section merging
    let hasBody = !first.heading;
    while (k < atoms.length) {
      const a = atoms[k];
      if (!a) break;
      if (a.end - start > max) break;
      if (a.breakBefore >= 3) {
        const len = (atoms[k - 1]?.end ?? start) - start;
        const cur = sections[currentSection];
        const nxt = sections[a.section];
        if (a.breakBefore === 4 || !(len < TINY_SECTION && cur && nxt && mergeable(cur, nxt, hasBody))) {
          forcedEnd = true;
          break;
        }
        merged.add(k);
      }
      currentSection = a.section;
      if (!a.heading) hasBody = true;
      k++;
    }
    let b = k;
    if (!forcedEnd && k < atoms.length) {
      // Overflow: the best break in (i, k]: a paragraph or list-item break once the chunk is
      // long enough, else the last sentence end, else wherever allowed.
      let para = -1;
      let item = -1;
      let sentence = -1;
      let any = -1;
      for (let c = i + 1; c <= k; c++) {
        const at = atoms[c];
        const br = c === k ? (at?.breakBefore ?? 0) : merged.has(c) ? 2 : (at?.breakBefore ?? 0);
        const len = (atoms[c - 1]?.end ?? start) - start;
        if (br >= 2 && len >= min) para = c;
        else if (br === 1 && len >= min) item = c;
        if (br >= 0) sentence = c;
        any = c;
      }
      b = para > 0 ? para : item > 0 ? item : sentence > 0 ? sentence : any;
    }
    const last = atoms[b - 1] ?? first;
    const ids: number[] = [];
    const weights = new Map<number, number>();
    const withBody = new Set<number>();
    for (let c = i; c < b; c++) {
      const at = atoms[c];
      if (!at) continue;
      ids.push(at.section);
      weights.set(at.section, (weights.get(at.section) ?? 0) + (at.end - at.start));
      if (!at.heading) withBody.add(at.section);
    }
    const sec = combine(sections, ids, weights, withBody);
    const subsections: NonNullable<DraftChunk["subsections"]> = [];
    for (let c = i; c < b; c++) {
      const at = atoms[c];
      const s = at ? sections[at.section] : undefined;
      if (!at || !s || (c > i && atoms[c - 1]?.section === at.section)) continue;
      subsections.push({ offset: at.start - start, section: s.path.join(SECTION_SEPARATOR), item: s.item });
    }
    const pageBreaks: NonNullable<DraftChunk["pageBreaks"]> = [];
    pageOffsets.forEach((o, p) => {
      if (o > start && o < last.end) pageBreaks.push({ offset: o - start, page: p + 1 });
    });
    chunks.push({
      ordinal: chunks.length,
      section: sec.path.join(SECTION_SEPARATOR),
      item: sec.item,
      page: pageOf(pageOffsets, start),
      start,
      end: last.end,
      text: text.slice(start, last.end),
      ...(subsections.length > 1 ? { subsections } : {}),
      ...(pageBreaks.length > 0 ? { pageBreaks } : {}),
    });
    // Overlap: repeat the last sentence when the chunk was cut inside a section.
    const next = atoms[b];
    const overlap =
      next !== undefined &&
      next.breakBefore < 3 &&
      b - 1 > i &&
      last.sentence &&
      last.end - last.start <= MAX_OVERLAP;
    i = overlap ? b - 1 : b;
  }
  return chunks;
}
