import { fold, type QueryAnalysis } from "../retrieval/query.js";
import { findDates } from "../text/dates.js";
import municipalities from "../text/municipalities.json" with { type: "json" };
import { detectRegions } from "../text/regions.js";
import { locate } from "./citations.js";
import type { Passage } from "./types.js";

/**
 * Evidence units: the sentences, lines and lists of the retrieved passages, scored for
 * how well they answer the question. Shared by the extractive answerer and the LLM
 * answerer's quote picking.
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

export interface ScoredUnit extends Unit {
  score: number;
  coverage: number;
  typeFit: number;
  context: number;
  /** Why the unit can't answer: names a region other than the one asked, lacks an entity… */
  veto: string | null;
}

const ABBREV =
  /(?:\b(?:pkt|bl\.a|fx|f\.eks|ca|nr|mio|mia|kr|jf|evt|inkl|ekskl|ift|ifm|iflg|mht|vha|tlf|dvs|mv|osv|pct|pr|st|hhv|vedr|ang|e\.g|i\.e|etc|vs|dr|mr|mrs)\.|\b\d{1,2}\.|\b[A-ZÆØÅ]\.)$/i;
const BULLET = /^\s*(?:[-•*▪●–]|\d{1,2}[.)])\s+/;

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
      if (ABBREV.test(lineText.slice(Math.max(0, endIdx - 8), endIdx))) continue;
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

// ---- term matching -----------------------------------------------------------

const SUFFIXES = [
  "ernes",
  "erne",
  "enes",
  "ene",
  "ers",
  "ets",
  "ede",
  "ende",
  "en",
  "er",
  "et",
  "es",
  "e",
  "s",
  "t",
  "ing",
  "ed",
];

export function stem(word: string): string {
  const w = fold(word);
  for (const suf of SUFFIXES)
    if (w.endsWith(suf) && w.length - suf.length >= 4) return w.slice(0, -suf.length);
  return w;
}

export interface TokenIndex {
  folded: string;
  tokens: string[];
  stems: Set<string>;
}

export function indexText(text: string): TokenIndex {
  const folded = fold(text);
  const tokens: string[] = folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  // "Mikael Smed (A)": a party letter after a name answers "which party"
  if (/\([A-ZÆØÅ]{1,2}\)/u.test(text)) tokens.push("parti");
  return { folded, tokens, stems: new Set(tokens.map(stem)) };
}

/** Levenshtein distance, stopping early past `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * 1 for a word-form match, 0.6 inside a compound ("pladser" in "psykiatripladser"),
 * 0.7 for a near-miss spelling of a long word ("Erhvervsfremmestyrelse" for
 * "Erhvervsfremmebestyrelse", "Lundsfryd" for "Lundsryd"), else 0.
 */
export function matchTerm(term: string, idx: TokenIndex): number {
  const t = fold(term);
  if (t.includes(" ") || t.includes("-")) {
    const parts = t.split(/[\s-]+/).filter(Boolean);
    if (idx.folded.includes(t)) return 1;
    // a phrase or hyphenated compound: all its parts
    const scores = parts.map((p) => matchTerm(p, idx));
    return scores.every((x) => x > 0) ? Math.min(...scores) * 0.9 : 0;
  }
  const st = stem(t);
  if (idx.stems.has(st)) return 1;
  if (st.length < 4) return 0;
  let best = 0;
  // inside a compound or a prefixed verb: "pladser" in "psykiatripladser", "holdt" in "afholdt"
  const inner = st.length >= 5 ? st : t.length >= 5 ? t : null;
  for (const tok of idx.tokens) {
    if (tok.length > st.length && tok.startsWith(st)) return 1;
    // "næstformand"/"viceborgmester" is another office than "formand"/"borgmester"
    if (tok.startsWith(`naest${st}`) || tok.startsWith(`vice${st}`)) continue;
    if (inner && tok.length > inner.length + 1 && tok.includes(inner)) best = 0.6;
    // a Danish compound ends in its head noun: "behandlingsprojektet" is a "projektet"
    else if (tok.length >= 6 && t.length > tok.length + 2 && t.endsWith(tok)) best = Math.max(best, 0.6);
  }
  if (best === 0 && t.length >= 8) {
    const max = t.length >= 14 ? 2 : 1;
    for (const tok of idx.tokens) if (tok.length >= 7 && editDistance(t, tok, max) <= max) return 0.7;
  }
  return best;
}

/** An entity (with its alternatives) is present when one alternative's words all are. */
export function matchEntity(alternatives: string[], idx: TokenIndex): boolean {
  return alternatives.some((alt) => {
    const words = fold(alt).match(/[\p{L}\p{N}]+/gu) ?? [];
    return words.length > 0 && words.every((w) => matchTerm(w, idx) > 0);
  });
}

// ---- answer-type cues ----------------------------------------------------------

const NOT_NAME = new Set([
  ...(municipalities as string[]),
  ..."Realdania Danske Regioner Robotics Socialstyrelsen Innovationsfonden Erhvervsministeriet Greater Copenhagen Teams Vision Mission Dato Sted Lov Barnets Velfærdsloven Nærhedsreformen Parisaftalen".split(
    " ",
  ),
  ..."Region Regionen Kommune Kommunes KKR KL Danmarks Danmark Erhvervshus Social Det Den De Der Dette Som Med For Og I Rammeaftalen Rammeaftale Partnerskabet Formand Formanden Borgmester Næstformand Sundhedskoordinationsudvalget Praksisplanudvalget Trafikselskabet Syddansk Børnehus Strategisk Overblik Status Punkter Godkendelse Baggrund Indstilling Sagsfremstilling Nyhedsbrev Dagsorden Referat Mødet Møde Politisk Administrativ".split(
    " ",
  ),
]);
const NAME_RE =
  /\b([A-ZÆØÅ][a-zæøåé]+(?:-[A-ZÆØÅ][a-zæøå]+)?)((?:\s+[A-ZÆØÅ][a-zæøåé]+(?:-[A-ZÆØÅ][a-zæøå]+)?){1,3})\b/gu;

export function personNames(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(NAME_RE)) {
    const words = m[0].split(/\s+/);
    if (words.some((w) => NOT_NAME.has(w))) continue;
    if (words.some((w) => detectRegions(w).length > 0)) continue;
    if (
      words.some((w) =>
        /^(Januar|Februar|Marts|April|Maj|Juni|Juli|August|September|Oktober|November|December)$/i.test(w),
      )
    )
      continue;
    out.push(m[0]);
  }
  return out;
}

const ROLE_NOUN =
  /\b(\p{L}*medlem\p{L}*|\p{L}*formand\p{L}*|borgmest\p{L}*|\p{L}*direktør\p{L}*|politiker\p{L}*|\p{L}*konsulent\p{L}*|\p{L}*minister\p{L}*|repræsentant\p{L}*|udpeg\p{L}*|\p{L}*leder\p{L}*|medarbejder\p{L}*|\p{L}*koordinator\p{L}*|\p{L}*chef\p{L}*|sekretær\p{L}*)\b/iu;
const NUMBER_WORD =
  /\b(to|tre|fire|fem|seks|syv|otte|ni|ti|tolv|tyve|halvdelen|two|three|four|five|six|seven|eight|nine|ten)\b/i;

function typeFit(unit: Unit, a: QueryAnalysis): number {
  const text = unit.text;
  switch (a.type) {
    case "who": {
      const names = personNames(text);
      // "Hvem kan udpeges…?" may be answered by a kind of person, not a name
      const categorical = /\b(hvem|who)\s+(kan|skal|må|bør|can|may|must|should)\b/i.test(a.question);
      if (names.length === 0) return categorical && ROLE_NOUN.test(text) ? 0.4 : 0;
      // "FORUM ved NAVN, Kommune" and "X er formand" are how these documents name people
      if (/\bved\s+[A-ZÆØÅ][\p{L}-]+(?:\s+[A-ZÆØÅ][\p{L}-]+)+,\s*[A-ZÆØÅ]/u.test(text)) return 1;
      if (
        /\b(formand\w*|næstformand\w*|direktør|borgmester|koordinator|ansat|udpeget|repræsentant)\b/i.test(
          text,
        )
      )
        return 1;
      return 0.7;
    }
    case "when": {
      const asked = new Set(a.dates.map((d) => d.iso));
      const dates = findDates(text).filter((d) => !asked.has(d.iso));
      // "på mødet den 8. september" is the report's own context; it answers "when" only
      // when the question is about the meeting itself
      const docDate = unit.passage.chunk.date;
      const aboutMeeting = /\b(møde\w*|meeting\w*|meet|met|holdt|held)\b/i.test(a.question);
      if (!aboutMeeting && docDate && dates.length > 0 && dates.every((d) => d.iso === docDate)) return 0.6;
      if (dates.some((d) => d.precision === "day")) return 1;
      if (dates.some((d) => d.precision === "month")) return 0.7;
      if (dates.length > 0) return 0.4;
      // "ved årsskiftet", "i efteråret 2021", "næste år": a time, if not a date
      return /\b(årsskiftet|efteråret|foråret|sommeren|vinteren|halvår\w*|kvartal\w*|næste år|i år|snarest|senere)\b/i.test(
        text,
      )
        ? 0.7
        : 0;
    }
    case "where": {
      if (/^\s*sted\s*:/im.test(text)) return 1;
      // a street address: "Weidekampsgade 10, 2300 København S"
      if (/\b\p{Lu}\p{Ll}+(gade|vej|allé|alle|plads|torv|stræde)\s+\d+/u.test(text)) return 0.9;
      if (/\b(afholdt|holdt|foregår|finder sted|mødes)\b.*\b(i|på|via|hos)\s+[A-ZÆØÅ]/u.test(text))
        return 0.8;
      if (/\b(virtuelt|teams|zoom|online|tjenestested|adresse)\b/i.test(text)) return 0.7;
      return 0;
    }
    case "howmany": {
      // a count: a free-standing number (or number word) that is not a date, a year, a
      // code like DK2020, list numbering, or a number the question itself contains
      const asked = new Set(a.question.match(/\d+(?:[.,]\d+)?/g) ?? []);
      let plain = text.replace(/^\s*\d{1,2}[.)]\s/gm, " ");
      for (const d of findDates(plain)) plain = plain.replace(d.text, " ");
      // each number with the few words after it: "tre af de 32 særlige pladser"
      const counts = [
        ...plain.matchAll(/(?<![\p{L}\d-])(\d+(?:[.,]\d+)?)(?![\p{L}\d])((?:\s+[\p{L}\d.-]+){0,4})/gu),
      ].filter((m) => !asked.has(m[1] ?? "") && !/^(19|20)\d{2}$/.test(m[1] ?? ""));
      const words = [
        ...plain.matchAll(new RegExp(`${NUMBER_WORD.source}((?:\\s+[\\p{L}\\d.-]+){1,4})`, "giu")),
      ];
      const followed = [...counts, ...words].some((m) => {
        const next = m[m.length - 1] ?? "";
        return next !== "" && a.concepts.some((g) => g.some((t) => matchTerm(t, indexText(next)) > 0));
      });
      if (followed) return 1;
      if (counts.length > 0) return 0.8;
      return words.length > 0 ? 0.6 : 0;
    }
    case "list": {
      if (unit.kind === "list") {
        if (a.listCount !== null) return unit.listItems === a.listCount ? 1 : 0.7;
        return 1;
      }
      // an enumeration inside a sentence: "Lejre, Roskilde, Køge og Lolland"
      const commas = (text.match(/,/g) ?? []).length;
      if (commas >= 2 && /\b(og|and)\b/.test(text)) return 0.8;
      if (/:\s*\S.*\b(og|and)\b/.test(text)) return 0.8;
      if (commas >= 1) return 0.5;
      return 0.3;
    }
    case "role": {
      // the person asked about, with a title or office next to them
      const person = a.entities.some((e) => matchEntity(e, indexText(text)));
      return person && ROLE_NOUN.test(text) ? 1 : person ? 0.4 : 0.1;
    }
    case "define": {
      // "KKR er et samarbejdsforum…", "DEB (Danmarks Erhvervsfremmebestyrelse)"
      const target = fold(a.defines ?? "");
      const t = fold(text.replace(/^[-•*]\s*/, ""));
      if (
        target &&
        t.startsWith(target) &&
        /^[^.]{0,60}\b(er|is|are|står for|betyder)\b/.test(t.slice(target.length))
      )
        return 1;
      if (target && (t.includes(`(${target})`) || t.includes(`${target} (`))) return 0.8;
      return 0.3;
    }
    default:
      return 0.5;
  }
}

// ---- scoring ------------------------------------------------------------------

export interface EvidenceOptions {
  /** Question concepts absent from every unit still count against coverage. */
  minCoverage?: number;
}

/**
 * Phrase overlap: pairs of consecutive question words ("være endeligt godkendt") that
 * stand next to each other in the unit too. Function words count here: they carry the
 * phrasing that separates "skal være godkendt" from "har godkendt".
 */
function proximity(a: QueryAnalysis, idx: TokenIndex): number {
  const words = (fold(a.question).match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    (w) => !QUESTION_WORDS_FOLDED.has(w),
  );
  if (words.length < 2) return 0;
  const stems = idx.tokens.map(stem);
  const same = (x: string, u: string) =>
    u === x || (x.length >= 4 && u.startsWith(x)) || (u.length >= 4 && x.startsWith(u));
  let near = 0;
  for (let i = 0; i + 1 < words.length; i++) {
    const x = stem(words[i]!);
    const y = stem(words[i + 1]!);
    for (let t = 0; t + 1 < stems.length; t++) {
      if (!same(x, stems[t]!)) continue;
      if (same(y, stems[t + 1]!) || (t + 2 < stems.length && same(y, stems[t + 2]!))) {
        near++;
        break;
      }
    }
  }
  return near / (words.length - 1);
}

const QUESTION_WORDS_FOLDED = new Set(
  "hvem hvad hvor hvornar hvilke hvilken hvilket hvordan hvorfor who what when where which why how is are was were do does did the a an of in on i pa".split(
    " ",
  ),
);

const ROLE_WORDS =
  "formand|formanden|næstformand|næstformanden|direktør|direktøren|borgmester|leder|lederen|chair|chairman|chairwoman|vice chair|deputy chair|mayor|director|head";

/** "formand for KKR Syddanmark" → { role: "formand", of: "kkr syddanmark" } */
function askedRole(question: string): { role: string; of: string } | null {
  const m = new RegExp(
    `\\b(${ROLE_WORDS})\\s+(?:for|i|af|of|in|at)\\s+((?:the\\s+)?[\\p{L}\\d-]+(?:\\s+[\\p{Lu}\\d][\\p{L}\\d-]*)*)`,
    "iu",
  ).exec(question);
  if (!m?.[1] || !m[2]) return null;
  return { role: fold(m[1]).replace(/en$/, ""), of: fold(m[2].replace(/^the\s+/i, "")) };
}

/**
 * "Formand for Socialdirektørforum, Lise Willer" does not answer "Hvem er formand for KKR
 * Syddanmark?": the unit names the same role of a different body.
 */
function otherBody(text: string, asked: { role: string; of: string }): boolean {
  const re = new RegExp(
    `\\b(${ROLE_WORDS})\\s+(?:for|i|af|of|in|at)\\s+((?:the\\s+)?[\\p{Lu}][\\p{L}\\d-]*(?:\\s+[\\p{Lu}\\d][\\p{L}\\d-]*)*)`,
    "giu",
  );
  let sameRole = false;
  for (const m of text.matchAll(re)) {
    if (fold(m[1] ?? "").replace(/en$/, "") !== asked.role) continue;
    sameRole = true;
    const body = fold(m[2] ?? "");
    if (body.includes(asked.of) || asked.of.includes(body)) return false;
  }
  return sameRole;
}

/** Is the unit a heading (a title from the section path) or part of a table of contents? */
function isHeading(u: Unit): boolean {
  const t = u.text.replace(/^[-•*]\s*/, "").trim();
  if (/^(indhold|indholdsfortegnelse|contents)$/i.test(u.passage.chunk.section.split(" › ")[0] ?? ""))
    return true;
  if (/[.!?:]$/.test(t) && !/^\d+(\.\d+)*\.\s/.test(t)) return false;
  const parts = u.passage.chunk.section.split(" › ").map((p) => fold(p.replace(/^\d+(?:\.\d+)*\.?\s*/, "")));
  const bare = fold(t.replace(/^\d+(?:\.\d+)*\.?\s*/, ""));
  return parts.includes(bare) || (/^\d+(\.\d+)*\.\s/.test(t) && t.length < 120) || /^\d{2}\s*\/\s/.test(t);
}

export function scoreUnits(passages: Passage[], a: QueryAnalysis): ScoredUnit[] {
  const units = passages.flatMap(unitsOf);
  if (units.length === 0) return [];
  const chunkIdx = new Map(
    passages.map((p) => [p.chunk.id, indexText(`${p.chunk.title}\n${p.chunk.section}\n${p.chunk.text}`)]),
  );
  const headIdx = new Map(passages.map((p) => [p.chunk.id, indexText(p.chunk.section)]));
  // a list is read with the lines just before it: they say what it lists
  const unitIdx = units.map((u) =>
    indexText(u.kind === "list" ? u.passage.chunk.text.slice(Math.max(0, u.start - 300), u.end) : u.text),
  );

  // concept weights: rarer across the candidate units means more telling (idf); names
  // and acronyms the question insists on count extra
  const weights = a.concepts.map((group) => {
    const df = unitIdx.filter((idx) => group.some((t) => matchTerm(t, idx) > 0)).length;
    const isEntity = group.some((t) => a.entities.some((e) => e.some((alt) => fold(alt).includes(fold(t)))));
    return Math.log(1 + units.length / (1 + df)) * (isEntity ? 1.5 : 1);
  });
  const totalWeight = weights.reduce((x, y) => x + y, 0);
  const ownIdx = units.map((u, i) => (u.kind === "list" ? indexText(u.text) : unitIdx[i]!));
  // A question word that no retrieved passage mentions at all ("kommuneskatten") means the
  // documents likely don't cover the topic: everything counts for less.
  const chunkIndexes = [...chunkIdx.values()];
  const absent = a.concepts.filter(
    (g) => !chunkIndexes.some((idx) => g.some((t) => matchTerm(t, idx) > 0)),
  ).length;
  const absentFactor = a.concepts.length > 0 ? 1 - 0.5 * (absent / a.concepts.length) : 1;
  const entityOk = new Map<string, string | null>();
  const roleOf = askedRole(a.question);

  return units.map((u, i) => {
    const idx = unitIdx[i]!;
    const c = u.passage.chunk;
    const cidx = chunkIdx.get(c.id)!;
    let covered = 0;
    let coveredCount = 0;
    a.concepts.forEach((group, g) => {
      const inUnit = Math.max(0, ...group.map((t) => matchTerm(t, idx)));
      // a concept only the surrounding chunk (its heading, earlier lines) mentions counts less
      // (its heading says what the passage is about: that counts more than an earlier line)
      const hidx = headIdx.get(c.id)!;
      const m =
        inUnit > 0
          ? inUnit
          : Math.max(
              Math.max(0, ...group.map((t) => matchTerm(t, hidx))) * 0.7,
              Math.max(0, ...group.map((t) => matchTerm(t, cidx))) * 0.4,
            );
      covered += (weights[g] ?? 0) * m;
      coveredCount += m;
    });
    // weighted by rarity, but every question word matters a little on its own
    const itemOnly = a.concepts.length === 0 && a.item !== null;
    const coverage = itemOnly
      ? locate(c, u.start).item === a.item
        ? 1
        : 0
      : absentFactor *
        (a.concepts.length > 0
          ? 0.7 * (totalWeight > 0 ? covered / totalWeight : 0) + 0.3 * (coveredCount / a.concepts.length)
          : 0.5);
    const fit = typeFit(u, a);

    // context: does the chunk's metadata fit the question's region and dates?
    let context = 1;
    let veto: string | null = null;
    if (a.region) {
      const mentions: string[] = detectRegions(u.text).map((r) => r.region);
      const otherRegionInUnit = mentions.length > 0 && !mentions.includes(a.region);
      if (c.region === a.region && !otherRegionInUnit) context *= mentions.includes(a.region) ? 1.2 : 1.15;
      else if (mentions.includes(a.region)) context *= 1.0;
      else if (c.region && c.region !== "all") veto = `from KKR ${c.region}, not ${a.region}`;
      else veto = `does not mention ${a.region}`;
    }
    if (a.dates.length > 0) {
      const d = c.date ?? "";
      const hit = a.dates.some(
        (x) => d.startsWith(x.iso) || (x.precision !== "day" && d.startsWith(x.iso.slice(0, 7))),
      );
      const year = a.dates.some((x) => d.slice(0, 4) === x.iso.slice(0, 4));
      const inText = findDates(`${c.section}\n${c.text}`, { bareYears: true }).some((fd) =>
        a.dates.some((x) => fd.iso.startsWith(x.iso)),
      );
      context *= hit ? 1.2 : inText ? 1.1 : year ? 1.0 : 0.75;
      // "… i 2019?" answered from a 2020 document that never mentions 2019 would be
      // another period's facts
      if (!hit && !inText && !year && d !== "")
        veto = `dated ${d}, not ${a.dates.map((x) => x.iso).join("/")}`;
    }
    if (a.item) {
      const at = locate(c, u.start);
      context *= at.item === a.item ? 1.6 : at.item?.startsWith(`${a.item}.`) ? 1.3 : 0.6;
    }
    if (!entityOk.has(c.id)) {
      const missing = a.entities.find((e) => !matchEntity(e, cidx));
      entityOk.set(c.id, missing ? `does not mention ${missing[0]}` : null);
    }
    veto ??= entityOk.get(c.id) ?? null;

    // The unit itself must mention something the question asks about, not only its heading
    // or the lines around it: "Kontaktpersoner: …" next to "Greater Copenhagen" is no answer
    // to "who is the mayor of Copenhagen?".
    const own = ownIdx[i]!;
    const mentionsAny =
      a.concepts.some((g) => g.some((t) => matchTerm(t, own) > 0)) ||
      a.entities.some((e) => matchEntity(e, own));
    if ((a.concepts.length > 0 || a.entities.length > 0) && !mentionsAny) {
      veto ??= "says nothing the question asks about";
    }
    if (roleOf && otherBody(u.text, roleOf)) veto ??= `names the ${roleOf.role} of another body`;
    const prior = 1 / (1 + 0.12 * (u.passage.n - 1));
    // a list item or short line is a precise answer; a very long sentence less so;
    // headings and tables of contents name a topic, they don't answer
    let focus = u.text.length > 400 ? 0.85 : 1;
    if (isHeading(u) && !a.item) focus *= 0.6;
    const near = proximity(a, idx);
    const typeWeight = a.type === "what" ? 0.1 : a.type === "list" || a.type === "define" ? 0.25 : 0.35;
    const score =
      ((0.9 - typeWeight) * coverage + typeWeight * fit + 0.1 * prior + 0.15 * near) * context * focus;
    return { ...u, score, coverage, typeFit: fit, context, veto };
  });
}
