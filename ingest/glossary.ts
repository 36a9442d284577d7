/**
 * Acronym definitions mined from document text: "Danmarks Erhvervsfremmebestyrelse DEB",
 * "Regionale Arbejdsmarkedsråd (RAR)", "ACR (Long Form)". A candidate is kept only when the
 * acronym's letters can be read, in order, from the long form's word initials and the parts
 * of its compounds (DEB ← Danmarks Erhvervsfremme|bestyrelse), so ordinary capitalised words
 * next to an acronym are not taken for its expansion.
 */

export interface GlossaryCandidate {
  acronym: string;
  expansion: string;
  /** The line or sentence the definition was read from; an exact substring of the text. */
  quote: string;
}

// Words that may sit inside a long form without giving the acronym a letter.
const MINOR_WORDS = new Set(
  "og i for af til på med de det den der om fra the of and for in on to at by a an".split(" "),
);

// Two to eight capitals (Danish letters included), optionally followed by a digit: "RAR", "DEB", "FGU".
const ACRONYM = "[A-ZÆØÅ]{2,8}";
const AFTER_LONG = new RegExp(`(?<![\\p{L}\\p{N}-])(${ACRONYM})(?![\\p{L}\\p{N}-])`, "gu");
const PAREN_ACRONYM = new RegExp(`\\((${ACRONYM})\\)`, "gu");
const ACRONYM_PAREN = new RegExp(`(?<![\\p{L}\\p{N}-])(${ACRONYM})\\s*\\(([^()\\n]{3,100})\\)`, "gu");

// Acronym-shaped tokens that are not acronyms.
const NOT_ACRONYMS = new Set(["II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "OK", "NB", "PS"]);

/** Can `letters` be read from `words` in order: every major word gives its initial, compounds may give more? */
export function matchesLongForm(letters: string, words: string[]): boolean {
  const acr = letters.toLowerCase();
  const ws = words.map((w) => w.toLowerCase());
  if (ws.length === 0 || ws.length > acr.length + 4) return false;
  const first = ws[0] ?? "";
  if (MINOR_WORDS.has(first) || first.charAt(0) !== acr.charAt(0)) return false;
  // Depth-first over (letter, word, position inside word); inputs are tiny (≤ 8 letters, ≤ 12 words).
  const go = (li: number, wi: number, from: number): boolean => {
    if (wi === ws.length) return li === acr.length;
    const w = ws[wi] ?? "";
    if (from === 0) {
      const minor = MINOR_WORDS.has(w);
      if (li < acr.length && w.charAt(0) === acr.charAt(li) && go(li + 1, wi, 1)) return true;
      return minor && go(li, wi + 1, 0);
    }
    // Inside a word: the word's next letter ("ST" ← Styrelsen), a compound part (at least 3
    // letters in, not right after the last taken letter)…
    if (li < acr.length) {
      const c = acr.charAt(li);
      if (from <= 2 && w.charAt(from) === c && go(li + 1, wi, from + 1)) return true;
      for (let p = Math.max(from + 1, 3); p < w.length - 1; p++) {
        if (w.charAt(p) === c && w.charAt(p - 1) !== "-" && go(li + 1, wi, p + 1)) return true;
      }
      // …or the part after a hyphen inside the word ("Social-og", "EU-kontor").
      const hy = w.indexOf("-", from);
      if (hy >= 0 && w.charAt(hy + 1) === c && go(li + 1, wi, hy + 2)) return true;
    }
    return go(li, wi + 1, 0);
  };
  return go(0, 0, 0);
}

const WORD = /[\p{L}][\p{L}\p{N}-]*/gu;

/** Words immediately before `end` on the same clause (stops at punctuation and line breaks). */
function wordsBefore(text: string, end: number, max: number): { word: string; index: number }[] {
  const from = Math.max(0, end - 200);
  let segment = text.slice(from, end);
  const stop = Math.max(
    segment.lastIndexOf("\n"),
    ...[".", ",", ";", ":", "(", ")", "–", "—"].map((p) => segment.lastIndexOf(p)),
  );
  const base = from + stop + 1;
  segment = text.slice(base, end);
  const words = [...segment.matchAll(WORD)].map((m) => ({
    word: m[0].replace(/-$/, ""),
    index: base + m.index,
  }));
  return words.slice(-max);
}

/** The line (or, for a long line, the sentence) around [start, end), trimmed of bullets. */
function quoteAround(text: string, start: number, end: number): string {
  let a = text.lastIndexOf("\n", start - 1) + 1;
  let b = text.indexOf("\n", end);
  if (b < 0) b = text.length;
  if (b - a > 400) {
    const before = text.slice(Math.max(a, start - 300), start);
    const s = Math.max(before.lastIndexOf(". "), before.lastIndexOf("? "), before.lastIndexOf("! "));
    if (s >= 0) a = Math.max(a, start - before.length + s + 2);
    const after = /[.!?](?=\s|$)/.exec(text.slice(end, Math.min(b, end + 300)));
    if (after) b = end + after.index + 1;
    else b = Math.min(b, end + 300);
  }
  let quote = text.slice(a, b);
  quote = quote.replace(/^\s*(?:[-•*]\s+)?/, "").trimEnd();
  return quote;
}

/** Mines acronym definitions; deduplicated by acronym and expansion, first occurrence wins. */
export function mineGlossary(text: string): GlossaryCandidate[] {
  const out: GlossaryCandidate[] = [];
  const seen = new Set<string>();
  const add = (acronym: string, words: { word: string; index: number }[], start: number, end: number) => {
    const firstWord = words[0];
    const lastWord = words[words.length - 1];
    if (!firstWord || !lastWord) return;
    const expansion = text.slice(firstWord.index, lastWord.index + lastWord.word.length);
    // The long form must be words, not the acronym again ("KKR-sekretariatet"), and must not
    // end on a filler word.
    if (!/\p{Ll}/u.test(expansion) || expansion.length > 120 || expansion.includes(acronym)) return;
    if (MINOR_WORDS.has(lastWord.word.toLowerCase())) return;
    const key = `${acronym}\u0000${expansion.toLowerCase()}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ acronym, expansion, quote: quoteAround(text, start, end) });
  };
  // The shortest run of preceding words that spells the acronym.
  const longFormBefore = (acronym: string, end: number) => {
    const words = wordsBefore(text, end, acronym.length + 4);
    for (let n = 1; n <= words.length; n++) {
      const cand = words.slice(words.length - n);
      if (
        matchesLongForm(
          acronym,
          cand.map((w) => w.word),
        )
      )
        return cand;
    }
    return null;
  };

  for (const m of text.matchAll(PAREN_ACRONYM)) {
    const acronym = m[1] ?? "";
    if (NOT_ACRONYMS.has(acronym)) continue;
    const cand = longFormBefore(acronym, m.index);
    if (cand) add(acronym, cand, cand[0]?.index ?? m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(ACRONYM_PAREN)) {
    const acronym = m[1] ?? "";
    if (NOT_ACRONYMS.has(acronym)) continue;
    const inner = m[2] ?? "";
    const innerAt = m.index + m[0].indexOf("(") + 1;
    const words = [...inner.matchAll(WORD)].map((w) => ({
      word: w[0].replace(/-$/, ""),
      index: innerAt + w.index,
    }));
    if (
      matchesLongForm(
        acronym,
        words.map((w) => w.word),
      )
    )
      add(acronym, words, m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(AFTER_LONG)) {
    const acronym = m[1] ?? "";
    if (NOT_ACRONYMS.has(acronym)) continue;
    const cand = longFormBefore(acronym, m.index);
    if (cand) add(acronym, cand, cand[0]?.index ?? m.index, m.index + acronym.length);
  }
  return out;
}
