import { distance } from "fastest-levenshtein";
import { snowballStem, snowballStemRaw } from "../text/danish-words.js";
import { fold } from "../text/fold.js";

/**
 * Matching question terms against text the way Danish needs it: inflection (stems),
 * compounds ("psykiatripladser"), prefixed verbs ("afholdt") and near-miss spellings.
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
}

export function indexText(text: string): TokenIndex {
  const folded = fold(text);
  // stems come from the unfolded words (Snowball knows æ/ø/å), tokens are folded
  const words: string[] =
    text
      .normalize("NFC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  const tokens = words.map(fold);
  const stems = new Set(words.map(stem));
  // "Mikael Smed (A)": a party letter after a name answers "which party"
  if (/\([A-ZÆØÅ]{1,2}\)/u.test(text)) {
    tokens.push("parti");
    stems.add("parti");
  }
  return { folded, tokens, stems, words };
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
  const st = stem(term.normalize("NFC").toLowerCase());
  if (idx.stems.has(st)) return 1;
  if (st.length < 4) {
    // a short stem of a longer word starts compounds: "møde" → "mød" in "mødeplan", "mødested"
    // (compared unfolded: folded "mod" would also start "modtage")
    const rawStem = snowballStemRaw(term);
    if (rawStem.length === 3 && term.length >= 4) {
      for (const w of idx.words) if (w.length >= rawStem.length + 4 && w.startsWith(rawStem)) return 0.8;
    }
    return 0;
  }
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
    for (const tok of idx.tokens)
      if (tok.length >= 7 && Math.abs(t.length - tok.length) <= max && distance(t, tok) <= max) return 0.7;
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
