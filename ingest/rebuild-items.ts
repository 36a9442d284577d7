/**
 * Numbered structure that a web transcript of a PDF runs together comes apart again:
 * page lines led by their page number ("4 1. Godkendelse af dagsordenen …") lose the page
 * number, a table of contents written on one line ("Indholdsfortegnelse 1. Godkendelse …
 * 2. Temadrøftelse …") becomes one entry per item, an item number alone on its line is
 * paired with the title on the next, and an item heading glued to its text is split off
 * where the contents say the title ends.
 */
import { isLive, type Line, nextText, remove } from "./lines.js";

const TOC_WORDS =
  /^(?:indholdsfortegnelse|indhold|dagsorden|dagsordenspunkter|punkter|agenda|contents)\b\s*:?\s*/i;
/** "N. " before a capital: an item start inside a line. */
const ITEM_START = /(?<![\p{L}\p{N}.])(\d{1,2})\.\s+(?=[\p{Lu}"“«])/gu;

/** Page lines of a transcript: "1 …", "2 …", "3 …" in order, mostly long. */
export function stripTranscriptPageNumbers(lines: Line[]): void {
  const chain: { line: Line; n: number }[] = [];
  for (const l of lines) {
    if (!isLive(l) || l.text === "") continue;
    const m = /^(\d{1,3})\s+(?=\S)/.exec(l.text);
    if (m && Number(m[1]) === chain.length + 1) chain.push({ line: l, n: Number(m[1]) });
  }
  if (chain.length < 3) return;
  const lengths = chain.map((c) => c.line.text.length).sort((a, b) => a - b);
  // Numbered agenda lines are short; pages of a transcript are not.
  if ((lengths[Math.floor(lengths.length / 2)] ?? 0) < 150) return;
  for (const { line, n } of chain) {
    line.text = line.text
      .replace(/^\d{1,3}\s+/, "")
      .replace(new RegExp(`\\s+${n}$`), "")
      .trim();
  }
}

interface Item {
  n: number;
  at: number;
}

/** Item starts in a line that count 1, 2, 3 … (gaps of up to two allowed, as transcripts lose items). */
function itemChain(text: string): Item[] {
  const starts = [...text.matchAll(ITEM_START)].map((m) => ({ n: Number(m[1]), at: m.index }));
  const chain: Item[] = [];
  for (const s of starts) {
    const prev = chain[chain.length - 1];
    if (!prev ? s.n === 1 : s.n > prev.n && s.n <= prev.n + 3) chain.push(s);
  }
  return chain;
}

/**
 * A one-line table of contents becomes a heading plus one "- N. Title" entry per item.
 * Returns the new line list and the item titles by number (to split glued headings later).
 */
export function splitInlineContents(lines: Line[]): { lines: Line[]; titles: Map<number, string> } {
  const out: Line[] = [];
  const titles = new Map<number, string>();
  for (const l of lines) {
    const chain = isLive(l) && l.text.length > 40 ? itemChain(l.text) : [];
    const first = chain[0];
    if (!first || chain.length < 3) {
      out.push(l);
      continue;
    }
    const head = l.text.slice(0, first.at).trim();
    // Only a contents line: nothing before item 1, or a contents title.
    if (head !== "" && !TOC_WORDS.test(head)) {
      out.push(l);
      continue;
    }
    if (head !== "") out.push({ text: head, level: l.level || 2, page: l.page });
    chain.forEach((item, k) => {
      const end = chain[k + 1]?.at ?? l.text.length;
      const entry = l.text.slice(item.at, end).trim();
      titles.set(item.n, entry.replace(/^\d{1,2}\.\s+/, ""));
      out.push({ text: `- ${entry}`, level: 0, page: l.page });
    });
  }
  return { lines: out, titles };
}

/** "1. Godkendelse af dagsordenen Sekretariatet indstiller …" → the heading, then the text. */
export function splitGluedItemHeadings(lines: Line[], titles: Map<number, string>): Line[] {
  if (titles.size === 0) return lines;
  const out: Line[] = [];
  for (const l of lines) {
    const m = isLive(l) ? /^(\d{1,2})\.\s+/.exec(l.text) : null;
    const title = m ? titles.get(Number(m[1])) : undefined;
    const rest =
      m && title && l.text.startsWith(title, m[0].length) ? l.text.slice(m[0].length + title.length) : "";
    if (!m || !title || !/^\s+\S/.test(rest)) {
      out.push(l);
      continue;
    }
    out.push({ text: `${m[1]}. ${title}`, level: l.level, page: l.page });
    out.push({ text: rest.trim(), level: 0, page: l.page });
  }
  return out;
}

/** "1." or "2.3" alone on a line, its title on the next: one line "2.3 Title". */
export function pairItemNumbers(lines: Line[]): void {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!isLive(l) || !/^\d{1,2}(?:\.\d{1,2}){0,3}\.$|^\d{1,2}(?:\.\d{1,2}){1,3}$/.test(l.text)) continue;
    const { at, blanks } = nextText(lines, i);
    const next = lines[at];
    if (!next || blanks > 1 || !/^\p{Lu}/u.test(next.text) || next.text.length > 150) continue;
    l.text = `${l.text} ${next.text}`;
    l.level = Math.max(l.level, next.level);
    remove(next);
  }
}

/**
 * A heading glued to the text after it by a lost line break: "Rammeaftale 2019-20Hvert andet
 * år …", "Region SyddanmarkTil forsiden". Split where a digit runs into a capitalised word,
 * or where the rest is page chrome; a lower-case letter running into a capital is too
 * common in names (PowerPoint) to split on alone.
 */
export function splitGluedHeading(text: string, isChrome: (t: string) => boolean): string[] {
  // Looked for in the first words only, so a huge line costs nothing.
  const m = /^((?:\S+\s+){1,7}?\S*?[\p{Ll}\p{N}])(?=\p{Lu}\p{Ll})/u.exec(text.slice(0, 160));
  const head = m?.[1];
  if (!head || /[.!?:;]/.test(head) || !/\s/.test(head)) return [text];
  const rest = text.slice(head.length);
  if (/\p{N}$/u.test(head) && rest.split(/\s+/).length >= 3) return [head, rest];
  if (isChrome(rest)) return [head, rest];
  return [text];
}
