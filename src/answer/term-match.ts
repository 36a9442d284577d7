import { fold } from "../text/fold.js";

/**
 * Matching question terms against text the way Danish needs it: inflection (stems),
 * compounds ("psykiatripladser"), prefixed verbs ("afholdt") and near-miss spellings.
 */

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
  // short verbs keep a three-letter stem ("søge"/"søgt" → "søg"); such stems only ever
  // match exactly (matchTerm), never as prefixes
  const min = w.length <= 5 ? 3 : 4;
  for (const suf of SUFFIXES)
    if (w.endsWith(suf) && w.length - suf.length >= min) return w.slice(0, -suf.length);
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
