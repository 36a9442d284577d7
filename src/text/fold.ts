// Lowercase, NFC and ASCII-folded the way the full-text index folds (æ→ae, ø→o, å→a), so
// "Sjaelland" typed on an English keyboard meets "Sjælland" in the documents.
const FOLD: Record<string, string> = { æ: "ae", ø: "o", å: "a", é: "e", ü: "u", ö: "o", ä: "a" };
const FOLDABLE = /[æøåéüöä]/;
const FOLDABLE_ALL = /[æøåéüöä]/g;

/**
 * Words and terms are folded again and again (every question term against every unit of
 * every passage): short strings are memoised, bounded. Long texts are folded directly.
 */
const memo = new Map<string, string>();
const MEMO_MAX_LENGTH = 48;
const MEMO_MAX_ENTRIES = 50_000;

export function fold(text: string): string {
  if (text.length > MEMO_MAX_LENGTH) return foldLower(text.normalize("NFC").toLowerCase());
  let out = memo.get(text);
  if (out === undefined) {
    out = foldLower(text.normalize("NFC").toLowerCase());
    if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
    memo.set(text, out);
  }
  return out;
}

/** `fold` of a string that is already NFC and lower-case (only the letters are replaced). */
export function foldLower(lower: string): string {
  return FOLDABLE.test(lower) ? lower.replace(FOLDABLE_ALL, (c) => FOLD[c] ?? c) : lower;
}
