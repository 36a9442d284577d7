// Lowercase, NFC and ASCII-folded the way the full-text index folds (æ→ae, ø→o, å→a), so
// "Sjaelland" typed on an English keyboard meets "Sjælland" in the documents.
const FOLD: Record<string, string> = { æ: "ae", ø: "o", å: "a", é: "e", ü: "u", ö: "o", ä: "a" };

export function fold(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[æøåéüöä]/g, (c) => FOLD[c] ?? c);
}
