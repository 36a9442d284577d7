import { distance } from "fastest-levenshtein";
import { snowballStem, snowballStemRaw } from "../text/danish-words.js";
import { fold, foldLower } from "../text/fold.js";

/**
 * Matching question terms against text the way Danish needs it: inflection (stems),
 * compounds ("psykiatripladser"), prefixed verbs ("afholdt") and near-miss spellings.
 *
 * Speed (issue 12): the answer stage matches every question term against several indexes of
 * every unit, so a term is prepared once (folded, stemmed: `prepareTerm`), an index keeps
 * each term's result (`TokenIndex.scores`), and texts indexed again — the same chunk within
 * one ask, or in the next — come from a small cache. All of it is memoisation of pure
 * functions: results are the same as computing afresh.
 */

/**
 * The Snowball Danish stem (folded), the same stemmer LanceDB's full-text index applies, so a
 * word the index matched is matched here too. Memoised per word (danish-words.ts).
 */
export function stem(word: string): string {
  return snowballStem(word);
}

export interface TokenIndex {
  folded: string;
  tokens: string[];
  stems: Set<string>;
  /** the words, lower-case but not folded */
  words: string[];
  /** `matchTerm` results for this index, per term (an index never changes) */
  readonly scores?: Map<string, number>;
}

const WORD = /[\p{L}\p{N}]+/gu;
const PARTY = /\([A-ZÆØÅ]{1,2}\)/u;

/** Recently indexed texts, bounded by their total length (they are chunk- or unit-sized). */
const indexCache = new Map<string, TokenIndex>();
let indexCacheChars = 0;
const INDEX_CACHE_MAX_CHARS = 1_000_000;

export function indexText(text: string): TokenIndex {
  const hit = indexCache.get(text);
  if (hit) {
    // least recently used first: a hit moves to the end
    indexCache.delete(text);
    indexCache.set(text, hit);
    return hit;
  }
  const idx = buildIndex(text);
  indexCache.set(text, idx);
  indexCacheChars += text.length;
  for (const [old] of indexCache) {
    if (indexCacheChars <= INDEX_CACHE_MAX_CHARS) break;
    indexCache.delete(old);
    indexCacheChars -= old.length;
  }
  return idx;
}

function buildIndex(text: string): TokenIndex {
  const lower = text.normalize("NFC").toLowerCase();
  const folded = foldLower(lower);
  // stems come from the unfolded words (Snowball knows æ/ø/å), tokens are folded
  const words: string[] = lower.match(WORD) ?? [];
  const tokens = words.map(fold);
  const stems = new Set(words.map(stem));
  // "Mikael Smed (A)": a party letter after a name answers "which party"
  if (PARTY.test(text)) {
    tokens.push("parti");
    stems.add("parti");
  }
  // measured: keeping results for every index (a unit's is matched 2–3 times per term, a
  // chunk's once per unit) beat keeping them only for long texts (~15% of the answer stage)
  return { folded, tokens, stems, words, scores: new Map() };
}

/** The Snowball stem of each (folded) token, in order, once per index. */
export function tokenStems(idx: TokenIndex): string[] {
  let stems = tokenStemsOf.get(idx);
  if (!stems) {
    stems = idx.tokens.map(stem);
    tokenStemsOf.set(idx, stems);
  }
  return stems;
}
const tokenStemsOf = new WeakMap<TokenIndex, string[]>();

/** A question term, folded and stemmed once. */
interface PreparedTerm {
  /** folded */
  t: string;
  /** a phrase or hyphenated compound: its parts (folded) */
  parts: string[] | null;
  st: string;
  /** the unfolded 3-letter stem of a longer word (for compounds it starts), else null */
  rawStem: string | null;
  /** what may stand inside a compound or a prefixed verb */
  inner: string | null;
}

const termCache = new Map<string, PreparedTerm>();

function prepareTerm(term: string): PreparedTerm {
  let p = termCache.get(term);
  if (p) return p;
  const t = fold(term);
  const phrase = t.includes(" ") || t.includes("-");
  const st = phrase ? "" : stem(term.normalize("NFC").toLowerCase());
  let rawStem: string | null = null;
  if (!phrase && st.length < 4) {
    const raw = snowballStemRaw(term);
    if (raw.length === 3 && term.length >= 4) rawStem = raw;
  }
  p = {
    t,
    parts: phrase ? t.split(/[\s-]+/).filter(Boolean) : null,
    st,
    rawStem,
    inner: st.length >= 5 ? st : t.length >= 5 ? t : null,
  };
  if (termCache.size >= 50_000) termCache.clear();
  termCache.set(term, p);
  return p;
}

/**
 * 1 for a word-form match, 0.6 inside a compound ("pladser" in "psykiatripladser"),
 * 0.7 for a near-miss spelling of a long word ("Erhvervsfremmestyrelse" for
 * "Erhvervsfremmebestyrelse", "Lundsfryd" for "Lundsryd"), else 0.
 */
export function matchTerm(term: string, idx: TokenIndex): number {
  const known = idx.scores?.get(term);
  if (known !== undefined) return known;
  const score = match(prepareTerm(term), idx);
  // a popular chunk stays cached across many questions: its results stay bounded too
  if (idx.scores && idx.scores.size >= 4096) idx.scores.clear();
  idx.scores?.set(term, score);
  return score;
}

function match(p: PreparedTerm, idx: TokenIndex): number {
  const { t, st } = p;
  if (p.parts) {
    if (idx.folded.includes(t)) return 1;
    // a phrase or hyphenated compound: all its parts
    const scores = p.parts.map((part) => matchTerm(part, idx));
    return scores.every((x) => x > 0) ? Math.min(...scores) * 0.9 : 0;
  }
  if (idx.stems.has(st)) return 1;
  if (st.length < 4) {
    // a short stem of a longer word starts compounds: "møde" → "mød" in "mødeplan", "mødested"
    // (compared unfolded: folded "mod" would also start "modtage")
    const rawStem = p.rawStem;
    if (rawStem !== null) {
      for (const w of idx.words) if (w.length >= rawStem.length + 4 && w.startsWith(rawStem)) return 0.8;
    }
    return 0;
  }
  let best = 0;
  // inside a compound or a prefixed verb: "pladser" in "psykiatripladser", "holdt" in "afholdt"
  const inner = p.inner;
  for (const tok of idx.tokens) {
    if (tok.length > st.length && tok.startsWith(st)) return 1;
    // "næstformand"/"viceborgmester" is another office than "formand"/"borgmester"
    if (tok.startsWith("naest") ? tok.startsWith(st, 5) : tok.startsWith("vice") && tok.startsWith(st, 4))
      continue;
    if (inner && tok.length > inner.length + 1 && tok.includes(inner)) best = 0.6;
    // a Danish compound ends in its head noun: "behandlingsprojektet" is a "projektet"
    else if (tok.length >= 6 && t.length > tok.length + 2 && t.endsWith(tok)) best = Math.max(best, 0.6);
  }
  if (best === 0 && t.length >= 8) {
    const max = t.length >= 14 ? 2 : 1;
    for (const tok of idx.tokens)
      if (tok.length >= 7 && Math.abs(t.length - tok.length) <= max && distance(t, tok) <= max) return 0.7;
  }
  return best;
}

/** The folded words of an entity alternative, once per alternative. */
const entityWords = new Map<string, string[]>();

/** An entity (with its alternatives) is present when one alternative's words all are. */
export function matchEntity(alternatives: string[], idx: TokenIndex): boolean {
  return alternatives.some((alt) => {
    let words = entityWords.get(alt);
    if (!words) {
      words = fold(alt).match(WORD) ?? [];
      if (entityWords.size >= 10_000) entityWords.clear();
      entityWords.set(alt, words);
    }
    return words.length > 0 && words.every((w) => matchTerm(w, idx) > 0);
  });
}
