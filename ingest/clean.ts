/**
 * Raw extracted text → the cleaned document text that chunks, citations and the glossary
 * point into. Format markup (HTML, markdown) is removed but headings are reported as hints,
 * and the noise of converted PDFs is dropped: page furniture, page numbers, table-of-contents
 * dot leaders, words hyphenated across line ends, paragraphs broken by a page break.
 */
import { MONTH_PREFIX_PATTERN } from "../src/text/dates.js";
import type { RawDocument } from "./extract.js";
import { joinLetterSpaced } from "./letter-spacing.js";
import { KNOWN_SUBHEADINGS, LIST_ITEM, type Line } from "./lines.js";
import {
  pairItemNumbers,
  splitGluedHeading,
  splitGluedItemHeadings,
  splitInlineContents,
  stripTranscriptPageNumbers,
} from "./rebuild-items.js";
import { rebuildLabels, VALUE_LABEL } from "./rebuild-labels.js";
import { rebuildCellTables } from "./rebuild-tables.js";
import { isFurnitureLine, removeWebFurniture } from "./web-furniture.js";
import { readWebPage, type WebPageMeta } from "./web-page.js";

export { KNOWN_SUBHEADINGS };

export interface HeadingHint {
  /** Offset in the cleaned text where the heading line starts. */
  start: number;
  /** 1–6 from markdown `#` / HTML `<hN>`; EMPHASIS_HEADING_LEVEL for a wholly bold/italic line. */
  level: number;
}

export interface CleanedDocument {
  text: string;
  /** pageOffsets[i] = where page i + 1 starts in `text` (PDF only; [] otherwise). */
  pageOffsets: number[];
  headingHints: HeadingHint[];
  /** What an HTML page says about itself (title, date, canonical url); null for other formats. */
  webMeta: WebPageMeta | null;
}

/** A line that was entirely bold or italic: a heading whose depth the markup does not say. */
export const EMPHASIS_HEADING_LEVEL = 7;

// ---------------------------------------------------------------------------------------
// Character level

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  aelig: "æ",
  AElig: "Æ",
  oslash: "ø",
  Oslash: "Ø",
  aring: "å",
  Aring: "Å",
  auml: "ä",
  Auml: "Ä",
  ouml: "ö",
  Ouml: "Ö",
  uuml: "ü",
  Uuml: "Ü",
  eacute: "é",
  Eacute: "É",
  egrave: "è",
  aacute: "á",
  oacute: "ó",
  iacute: "í",
  uacute: "ú",
  szlig: "ß",
  ccedil: "ç",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  laquo: "«",
  raquo: "»",
  ldquo: "“",
  rdquo: "”",
  bdquo: "„",
  lsquo: "‘",
  rsquo: "’",
  sbquo: "‚",
  bull: "•",
  middot: "·",
  copy: "©",
  reg: "®",
  trade: "™",
  shy: "\u00ad",
  euro: "€",
  pound: "£",
  sect: "§",
  para: "¶",
  deg: "°",
  frac12: "½",
  frac14: "¼",
  frac34: "¾",
  times: "×",
  divide: "÷",
  plusmn: "±",
  ensp: " ",
  emsp: " ",
  thinsp: " ",
  zwnj: "",
  zwj: "",
  lrm: "",
  rlm: "",
  rarr: "→",
  larr: "←",
  hyphen: "-",
  dash: "‐",
  minus: "−",
};

/** Decodes named (&aelig;), decimal (&#230;) and hex (&#xE6;) character references. */
export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(
    /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));?/g,
    (m, dec, hex, name) => {
      if (name !== undefined) return NAMED_ENTITIES[name] ?? NAMED_ENTITIES[name.toLowerCase()] ?? m;
      const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex, 16);
      if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return "\ufffd";
      return String.fromCodePoint(cp);
    },
  );
}

// Symbol-font bullets from Word PDFs land in the private use area.
const PUA_BULLETS = /[\uf0a7\uf0b7\uf076\uf0d8\uf0fc\uf06e\uf0a8]/g;

/** NFC, no soft hyphens / zero-width / control characters, exotic spaces → " " (tabs kept). */
function normalizeChars(s: string): string {
  return s
    .normalize("NFC")
    .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, "")
    .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]/g, "")
    .replace(/[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g, " ")
    .replace(PUA_BULLETS, "•");
}

// ---------------------------------------------------------------------------------------
// Markdown

// Escaped markdown characters are parked in the private use area while emphasis is parsed.
const ESCAPABLE = "\\`*_{}[]()#+-.!|>~<";
const park = (s: string) =>
  s.replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, (_, c: string) =>
    String.fromCharCode(0xe100 + ESCAPABLE.indexOf(c)),
  );
const unpark = (s: string) =>
  s.replace(/[\ue100-\ue113]/g, (c) => ESCAPABLE.charAt(c.charCodeAt(0) - 0xe100));

const HTML_TAG = /<\/?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?\/?>/g;

/** Inline markdown → plain text: links keep their text, autolinks their url, emphasis and tags go. */
function markdownInline(s: string): string {
  let t = park(s);
  t = t.replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1");
  t = t.replace(/\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+"[^"]*")?\)/g, "$1");
  t = t.replace(/<((?:https?|ftp):\/\/[^>\s]+|mailto:[^>\s]+)>/gi, "$1");
  t = t.replace(/<([^>\s@]+@[^>\s@]+\.[a-zA-Z]{2,})>/g, "$1");
  t = t.replace(HTML_TAG, "");
  t = t.replace(/`([^`]+)`/g, "$1");
  t = t.replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, "$2");
  t = t.replace(/(?<![\p{L}\p{N}*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![\p{L}\p{N}*])/gu, "$1");
  t = t.replace(/(?<![\p{L}\p{N}_])_(?=[^\s_])([^_]*?[^\s_])_(?![\p{L}\p{N}_])/gu, "$1");
  t = t.replace(/~~(?=\S)([\s\S]*?\S)~~/g, "$1");
  t = t.replace(/\*{2,}|_{2,}(?=\s|$)/g, "");
  return decodeEntities(unpark(t));
}

/** True when all words of the line sit inside bold/italic markup ("**Baggrund**", "*EU-temadag*"). */
function isEmphasisOnly(s: string): boolean {
  if (s.length > 300 || s.includes("\t") || s.includes("|")) return false;
  const t = park(s).trim();
  if (!/^(?:\*|_|<(?:b|strong|i|em)>)/i.test(t.replace(/^(?:\*?\.\/\.{1,2}\*?\s*)/, ""))) return false;
  const rest = t
    .replace(/<(b|strong|i|em)>[\s\S]*?<\/\1>/gi, "")
    .replace(/(\*\*|__)[\s\S]+?\1/g, "")
    .replace(/\*[^*]+\*/g, "")
    .replace(/(?<![\p{L}\p{N}])_[^_]+_(?![\p{L}\p{N}])/gu, "")
    .replace(/\.\/\.{1,2}/g, "");
  return !/[\p{L}\p{N}]/u.test(rest);
}

const BOLD_HEADING = /^\s{0,3}(?:\*\*|__)[^*_\n]{2,100}(?:\*\*|__)\s*[–-]\s*[^.!?:\n]{1,40}\s*$/;

function markdownToLines(src: string, page: number): Line[] {
  const out: Line[] = [];
  let fence: string | null = null;
  for (const rawLine of src.replace(/<br\s*\/?>/gi, "\n").split("\n")) {
    const fenceMark = /^\s{0,3}(`{3,}|~{3,})/.exec(rawLine)?.[1];
    if (fenceMark !== undefined && (fence === null || fenceMark.startsWith(fence))) {
      fence = fence === null ? fenceMark.slice(0, 3) : null;
      continue;
    }
    if (fence !== null) {
      out.push({ text: rawLine, level: 0, page });
      continue;
    }
    let line = rawLine.replace(/^\s{0,3}(?:>\s?)+/, "");
    const prev = out[out.length - 1];
    // Setext underline: the previous text line is the heading.
    if (/^\s{0,3}(?:={2,}|-{2,})\s*$/.test(line) && prev && prev.text.trim() !== "" && prev.level === 0) {
      if (!/^\s*-\s/.test(prev.text)) {
        prev.level = line.includes("=") ? 1 : 2;
        continue;
      }
    }
    if (/^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/.test(line)) {
      out.push({ text: "", level: 0, page });
      continue;
    }
    // Table separator row |---|:---:|
    if (/^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line) && line.includes("-")) {
      if (line.includes("|")) continue;
    }
    const heading = /^\s{0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(line);
    if (heading) {
      const text = markdownInline(heading[2] ?? "").trim();
      out.push({ text, level: text === "" ? 0 : (heading[1] ?? "#").length, page });
      continue;
    }
    // A bold name with a short tag ("**Erhvervshus Fyn** – bestyrelse") is a sub-heading as
    // much as a wholly bold line is (below)
    if (BOLD_HEADING.test(line)) {
      out.push({ text: markdownInline(line).trim(), level: EMPHASIS_HEADING_LEVEL, page });
      continue;
    }
    let bullet = "";
    const listMark = /^\s*[-*+]\s+(?=\S)/.exec(line);
    if (listMark) {
      bullet = "- ";
      line = line.slice(listMark[0].length);
    }
    const tableRow = /^\s*\|(.*)\|\s*$/.exec(line);
    if (tableRow) line = (tableRow[1] ?? "").replace(/\s*\|\s*/g, "\t");
    let level = 0;
    if (bullet === "" && isEmphasisOnly(line)) {
      const plain = markdownInline(line).trim();
      if (plain.length <= 150 && !/[.:;,]$/.test(plain)) level = EMPHASIS_HEADING_LEVEL;
    }
    out.push({ text: bullet + markdownInline(line), level, page });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// HTML

const DROP_ELEMENTS =
  /<(script|style|nav|head|noscript|template|svg|iframe|object|select|button|math)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const PARAGRAPH_TAGS = new Set(["p", "blockquote", "pre", "table", "ul", "ol", "dl", "figure", "hr"]);
const LINE_TAGS = new Set([
  "div",
  "section",
  "article",
  "header",
  "footer",
  "main",
  "aside",
  "figcaption",
  "form",
  "fieldset",
  "address",
  "dd",
  "dt",
  "thead",
  "tbody",
  "tfoot",
  "caption",
  "details",
  "summary",
  "center",
  "body",
  "html",
]);
// Marks a heading line in the intermediate text; control characters are gone by then.
const HEADING_MARK = "\u0001";

function htmlToLines(src: string, page: number): Line[] {
  const s = normalizeChars(src)
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "")
    .replace(/<![^>]*>/g, "")
    .replace(/<\?[^>]*>/g, "")
    .replace(DROP_ELEMENTS, " ");
  let out = "";
  let pre = 0;
  const lists: { ordered: boolean; n: number }[] = [];
  let cellInRow = 0;
  const tokens = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>"']|"[^"]*"|'[^']*')*>|([^<]+)|</g;
  for (const m of s.matchAll(tokens)) {
    const text = m[3] ?? (m[2] === undefined ? "<" : undefined);
    if (text !== undefined) {
      const t = decodeEntities(text).replace(/[\u0000-\u0008\u000b-\u001f]/g, "");
      out += pre > 0 ? t : t.replace(/[ \t\n\r\f]+/g, " ");
      continue;
    }
    const closing = m[1] === "/";
    const tag = (m[2] ?? "").toLowerCase();
    const h = /^h([1-6])$/.exec(tag);
    if (h) {
      out += closing ? "\n\n" : `\n\n${HEADING_MARK}${h[1]}`;
    } else if (tag === "br") {
      out += "\n";
    } else if (tag === "li") {
      if (!closing) {
        const list = lists[lists.length - 1];
        out += list?.ordered ? `\n${++list.n}. ` : "\n- ";
      }
    } else if (tag === "ul" || tag === "ol") {
      if (closing) lists.pop();
      else lists.push({ ordered: tag === "ol", n: 0 });
      out += "\n\n";
    } else if (tag === "tr") {
      cellInRow = 0;
      if (!closing) out += "\n";
    } else if (tag === "td" || tag === "th") {
      if (!closing && cellInRow++ > 0) out += "\t";
    } else if (PARAGRAPH_TAGS.has(tag)) {
      if (tag === "pre") pre = Math.max(0, pre + (closing ? -1 : 1));
      out += "\n\n";
    } else if (LINE_TAGS.has(tag)) {
      out += "\n";
    }
  }
  const lines: Line[] = [];
  for (const raw of out.split("\n")) {
    const at = raw.indexOf(HEADING_MARK);
    if (at >= 0) {
      const level = Number(raw.charAt(at + 1)) || 1;
      const text = (raw.slice(0, at) + raw.slice(at + 2)).trim();
      lines.push({ text, level: text === "" ? 0 : level, page });
    } else lines.push({ text: raw, level: 0, page });
  }
  return lines;
}

// ---------------------------------------------------------------------------------------
// Page furniture

const PAGE_NUMBER_LINE =
  /^(?:(?:side|page|s\.)\s*\d{1,4}(?:\s*(?:af|of|\/|ud af)\s*\d{1,4})?|\d{1,4}(?:\s*(?:\/|af|of)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]|\(\s*\d{1,4}\s*\)|\[\s*\d{1,4}\s*\])$/i;
// Unambiguous anywhere, even in a single-page text converted from PDF.
const PAGE_OF_LINE = /^(?:side|page)\s+\d{1,4}\s+(?:af|of|ud af)\s+\d{1,4}$/i;

const furnitureKey = (s: string) => s.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ").trim();

/** How many non-blank lines at the top and bottom of a page can be header/footer. */
const FURNITURE_ZONE = 3;

function edgeIndices(page: Line[]): number[] {
  const top: number[] = [];
  for (let i = 0; i < page.length && top.length < FURNITURE_ZONE; i++) {
    if ((page[i]?.text ?? "").trim() !== "") top.push(i);
  }
  const bottom: number[] = [];
  for (let i = page.length - 1; i >= 0 && bottom.length < FURNITURE_ZONE; i--) {
    if ((page[i]?.text ?? "").trim() !== "") bottom.push(i);
  }
  return [...top, ...bottom];
}

/**
 * Removes running headers/footers (lines that recur at the top or bottom of most pages once
 * digits are ignored) and page-number lines. Lines are removed from the page edge inwards and
 * the walk stops at the first real line, so body text that happens to repeat is kept.
 */
function removeFurniture(pages: Line[][]): void {
  // Exact lines count as is; lines that differ only in digits count when a number in them
  // moves with the page ("Side 3", "KL · side 4"), so "Der var 17 deltagere" never qualifies.
  const counts = new Map<string, number>();
  const keysOf = (t: string, page: number): string[] => {
    const keys = [`=${t}`];
    const key = furnitureKey(t);
    for (const n of (t.match(/\d{1,4}/g) ?? []).slice(0, 4)) keys.push(`${key}\u0000${Number(n) - page}`);
    return keys;
  };
  pages.forEach((page, p) => {
    const seen = new Set<string>();
    for (const i of edgeIndices(page)) {
      const t = (page[i]?.text ?? "").trim().replace(/\s+/g, " ");
      if (t.length <= 200) for (const k of keysOf(t, p)) seen.add(k);
    }
    for (const k of seen) counts.set(k, (counts.get(k) ?? 0) + 1);
  });
  const threshold = Math.max(2, Math.ceil(pages.length * 0.5));
  const isFurniture = (t: string, p: number) => {
    if (PAGE_NUMBER_LINE.test(t)) return true;
    if (t.length > 200 || KNOWN_SUBHEADINGS.test(t)) return false;
    if ((counts.get(`=${t}`) ?? 0) >= threshold) return true;
    // "3. Økonomi" on page 3 is an agenda item, whatever its number.
    if (/^\d{1,2}(?:\.\d{1,2})*\.?\s+\p{L}/u.test(t)) return false;
    return keysOf(t, p).some((k) => (counts.get(k) ?? 0) >= threshold);
  };
  pages.forEach((page, p) => {
    const strip = (from: number, step: number) => {
      let seen = 0;
      for (let i = from; i >= 0 && i < page.length && seen < FURNITURE_ZONE; i += step) {
        const line = page[i];
        if (!line) break;
        const t = line.text.trim().replace(/\s+/g, " ");
        if (t === "") continue;
        seen++;
        if (!isFurniture(t, p)) break;
        line.text = "";
        line.level = 0;
      }
    };
    strip(0, 1);
    strip(page.length - 1, -1);
  });
}

// ---------------------------------------------------------------------------------------
// Table of contents

const TOC_LEADER = /^(.*?[^\s.…_·])[\t ]*(?:\.{3,}|…+|(?:\.\s){3,}|_{4,}|·{3,})[\s.…_·]*?(\d{1,4})\s*$/;
const TOC_TAB = /^(.*?\S)\t+[\s.]*(\d{1,4})\s*$/;
const TOC_TITLE = /^(?:indhold|indholdsfortegnelse|contents|table of contents|dagsordenspunkter)\s*:?$/i;

/**
 * Table-of-contents entries ("2.3.\tDK2020 og regional organisering .....\t7") become plain
 * list items ("- 2.3. DK2020 og regional organisering"): the agenda overview stays searchable,
 * but as a list the chunker never mistakes it for the document's real headings. A TOC with no
 * title gets an "Indhold" heading so its chunk has a section name.
 */
function convertToc(lines: Line[]): Line[] {
  const isLeader = (t: string) => t.length <= 250 && TOC_LEADER.test(t);
  const isTab = (t: string) => t.length <= 250 && TOC_TAB.test(t);
  const out: Line[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i];
    if (!first || !isLeader(first.text.trim())) {
      if (first) out.push(first);
      i++;
      continue;
    }
    // A run of leader/tab entries (blank lines allowed); at least two leader lines.
    let j = i;
    let leaders = 0;
    let lastEntry = i;
    while (j < lines.length) {
      const t = (lines[j]?.text ?? "").trim();
      if (t === "") {
        j++;
        continue;
      }
      if (isLeader(t)) leaders++;
      else if (!isTab(t)) break;
      lastEntry = j;
      j++;
    }
    if (leaders < 2) {
      // A lone leader line: just drop the leader and page number.
      const m = TOC_LEADER.exec(first.text.trim());
      out.push({ ...first, text: (m?.[1] ?? first.text).replace(/\t+/g, " ") });
      i++;
      continue;
    }
    let k = out.length - 1;
    while (k >= 0 && (out[k]?.text ?? "").trim() === "") k--;
    const before = out[k];
    if (before && TOC_TITLE.test(before.text.trim())) before.level = before.level || 1;
    else {
      out.push({ text: "", level: 0, page: first.page });
      out.push({ text: "Indhold", level: 1, page: first.page });
      out.push({ text: "", level: 0, page: first.page });
    }
    for (let n = i; n <= lastEntry; n++) {
      const line = lines[n];
      if (!line) continue;
      const t = line.text.trim();
      if (t === "") continue;
      const m = TOC_LEADER.exec(t) ?? TOC_TAB.exec(t);
      const entry = (m?.[1] ?? t).replace(/\t+/g, " ").replace(/\s+/g, " ").trim();
      out.push({ text: `- ${entry}`, level: 0, page: line.page });
    }
    i = lastEntry + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Line tidying

const SYMBOL_BULLET = /^[•●▪◦■□➢►▶✓✔·‣⁃∙○]\s*/;
const DASH_BULLET = /^(?:[-–—*+]|o(?=\s+\p{Lu}))\s+(?=\S)/u;
const BARE_BULLET = /^(?:[•●▪◦■□➢►▶✓✔·‣⁃∙○]|[-–—*+])$/;
// "./." and "./.." mark enclosures (bilag) in KL agendas.
const BILAG_MARK = /(?:^|\s)\.\/\.{1,2}(?=\s|$)/g;

function tidyLine(text: string): string {
  let t = joinLetterSpaced(text);
  if (t.includes("\t")) {
    t = t.replace(/[ ]*\t[\t ]*/g, " | ").replace(/^\s*\|\s*|\s*\|\s*$/g, "");
  }
  t = t.replace(/\s+/g, " ").trim();
  if (t.includes("./.")) t = t.replace(BILAG_MARK, "").trim();
  if (SYMBOL_BULLET.test(t) && !BARE_BULLET.test(t)) t = `- ${t.replace(SYMBOL_BULLET, "")}`;
  else if (DASH_BULLET.test(t)) t = `- ${t.replace(DASH_BULLET, "")}`;
  return t;
}

const CONJUNCTIONS = new Set(["og", "eller", "samt", "til", "som", "and", "or", "to"]);

/**
 * Joins words hyphenated across line ends. "kommu-" + "nerne" → "kommunerne"; a hyphen that
 * belongs to the word stays ("DK2020-" + "metoden", "EU-" + "kontor", "2021-" + "2022"), and
 * "social-" + "og" keeps its suspended hyphen with a space.
 */
function joinHyphenated(lines: Line[]): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // A joined line can end in another hyphen, so the same line is looked at again.
    while (line && line.page >= 0 && line.level === 0 && line.text.length >= 2 && line.text.endsWith("-")) {
      const frag = /([\p{L}\p{N}]+)-$/u.exec(line.text)?.[1];
      if (frag === undefined) break;
      // The next live line, passing at most one blank (a page break or a converter's gap).
      const skipRemoved = (k: number) => {
        while (k < lines.length && (lines[k]?.page ?? 0) < 0) k++;
        return k;
      };
      let j = skipRemoved(i + 1);
      if (lines[j]?.text === "") j = skipRemoved(j + 1);
      const next = lines[j];
      if (!next || next.level > 0 || next.page < 0) break;
      const head = /^[\p{L}\p{N}]+/u.exec(next.text)?.[0];
      if (head === undefined) break;
      if (CONJUNCTIONS.has(head.toLowerCase())) line.text = `${line.text} ${next.text}`;
      else if (/^\p{Ll}/u.test(head) && !/\p{N}/u.test(frag) && !/^\p{Lu}{2,}$/u.test(frag)) {
        line.text = line.text.slice(0, -1) + next.text;
      } else line.text += next.text;
      for (let k = i + 1; k <= j; k++) {
        const gone = lines[k];
        if (gone) gone.page = -1; // removed at assembly
      }
    }
  }
}

/**
 * A paragraph cut in two by a page break or converter ("… Endelig blev det" / blank /
 * "besluttet at afsætte …"): the blank line goes when the first part stops mid-sentence and
 * the second starts in lower case.
 */
const NUMBERED_HEADING = /^\d{1,2}(?:\.\d{1,2})*\.?\s+\p{Lu}/u;

/**
 * PDF text arrives one printed line per line: a sentence wrapped at the margin is split
 * ("…ledes af Hanne" / "Østergaard, Hjørring Kommune."). Joins a line into the next when
 * it runs close to the page's text width (or the next goes on in lowercase) and neither
 * ends a sentence nor starts a heading or list item, so sentences and names stay whole.
 */
function reflowWrappedLines(lines: Line[]): void {
  const byPage = new Map<number, number[]>();
  for (const l of lines)
    if (l.page >= 0 && l.text !== "") byPage.set(l.page, [...(byPage.get(l.page) ?? []), l.text.length]);
  const width = new Map<number, number>();
  for (const [page, lengths] of byPage) {
    const sorted = lengths.sort((x, y) => x - y);
    width.set(page, sorted[Math.floor(sorted.length * 0.9)] ?? 0);
  }
  for (let i = 0; i + 1 < lines.length; i++) {
    const a = lines[i];
    if (!a || a.page < 0 || a.text === "" || a.level > 0) continue;
    let j = i + 1;
    while (j < lines.length && (lines[j]?.page ?? 0) < 0) j++;
    const b = lines[j];
    if (!b || b.page !== a.page || b.text === "" || b.level > 0) continue;
    if (/[.!?:;]["'”’»)]?$/u.test(a.text) || NUMBERED_HEADING.test(a.text) || isCapsLine(a.text)) continue;
    if (
      LIST_ITEM.test(b.text) ||
      NUMBERED_HEADING.test(b.text) ||
      // an entry of its own: a calendar line ("Mandag 16. juni 2025, …"), or a line that
      // starts the way the one before it does (rows of a list without bullets)
      ENTRY_START.test(b.text) ||
      a.text.includes(" | ") ||
      b.text.includes(" | ") ||
      sameFirstWord(a.text, b.text) ||
      isCapsLine(b.text) ||
      /^[-•*]\s/.test(b.text) ||
      KNOWN_SUBHEADINGS.test(b.text) ||
      isLabelLine(b.text) ||
      // A masthead value goes on only where the next line plainly continues it.
      (isLabelLine(a.text) && !/^[\p{Ll}\p{N}]/u.test(b.text))
    )
      continue;
    // (a page whose lines are all short has no margin to wrap at: short lines are items)
    const margin = width.get(a.page) ?? Number.POSITIVE_INFINITY;
    const wide = margin >= 45 && a.text.length >= 0.7 * margin;
    if (!wide && !/^\p{Ll}/u.test(b.text)) continue;
    b.text = `${a.text} ${b.text}`;
    a.page = -1; // removed at assembly; the joined text lives on in b
  }
}

const ENTRY_START = new RegExp(
  `^(?:(?:man|tirs|ons|tors|fre|lør|søn)dag|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b|^\\d{1,2}\\.\\s*(?:${MONTH_PREFIX_PATTERN})|^\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}\\b`,
  "iu",
);

/** Glossary lines ("DAS Den Administrative Styregruppe"): an acronym, then its long form. */
const GLOSSARY_LINE = /^[A-ZÆØÅ][A-ZÆØÅ0-9]{1,7}\s+\p{Lu}/u;

function sameFirstWord(a: string, b: string): boolean {
  if (GLOSSARY_LINE.test(a) && GLOSSARY_LINE.test(b)) return true;
  const first = (t: string) => /^\p{Lu}[\p{L}.]*/u.exec(t)?.[0];
  const x = first(a);
  return x !== undefined && x === first(b);
}

/** "Sted: …", "Dato:": a masthead line is never a wrapped sentence. */
function isLabelLine(t: string): boolean {
  const colon = t.indexOf(":");
  return colon > 0 && VALUE_LABEL.test(t.slice(0, colon + 1));
}

function isCapsLine(t: string): boolean {
  const letters = t.replace(/[^\p{L}]/gu, "");
  return letters.length >= 4 && letters === letters.toUpperCase();
}

function repairBrokenParagraphs(lines: Line[]): void {
  for (let i = 0; i + 2 < lines.length; i++) {
    const a = lines[i];
    if (!a || a.level > 0 || a.text.length < 30 || !/[\p{Ll},]$/u.test(a.text)) continue;
    let j = i + 1;
    while (j < lines.length && lines[j]?.text === "") j++;
    const b = lines[j];
    if (j === i + 1 || !b || b.level > 0 || !/^\p{Ll}/u.test(b.text) || LIST_ITEM.test(b.text)) continue;
    for (let k = i + 1; k < j; k++) {
      const gap = lines[k];
      if (gap) gap.page = -1; // marked for removal
    }
  }
}

function splitPages(raw: RawDocument): { pages: Line[][]; paged: boolean; webMeta: WebPageMeta | null } {
  const text = raw.pages.map((p) => normalizeChars(p));
  if (raw.format === "html") {
    const page = readWebPage(text.join("\n"));
    return { pages: [htmlToLines(page.html, 0)], paged: false, webMeta: page.meta };
  }
  if (raw.format === "markdown") {
    return { pages: text.map((p, i) => markdownToLines(p, i)), paged: false, webMeta: null };
  }
  // Plain text converted from PDF may still carry form feeds between pages: use them for
  // furniture detection even though only real PDFs report page offsets.
  const chunks = raw.format === "pdf" ? text : text.flatMap((p) => p.split("\f"));
  const pages = chunks.map((p, i) =>
    p.split("\n").map((t) => ({ text: t.replace(/\f/g, ""), level: 0, page: i })),
  );
  return { pages, paged: raw.format === "pdf", webMeta: null };
}

/** Tidied lines of every page, a blank line closing each page. */
function tidyPages(pages: Line[][]): Line[] {
  const lines: Line[] = [];
  pages.forEach((page, p) => {
    for (const line of convertToc(page)) {
      const t = tidyLine(line.text);
      if (PAGE_OF_LINE.test(t)) continue;
      const [head, ...rest] = splitGluedHeading(t, (x) => isFurnitureLine(x, true));
      lines.push({ text: head ?? "", level: t === "" ? 0 : line.level, page: p });
      for (const r of rest) lines.push({ text: r, level: 0, page: p });
    }
    lines.push({ text: "", level: 0, page: p });
  });
  return lines;
}

/** A bullet alone on its line belongs to the next line's text. */
function attachBareBullets(lines: Line[]): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line || !BARE_BULLET.test(line.text)) continue;
    let j = i + 1;
    while (j < lines.length && lines[j]?.text === "") j++;
    const next = lines[j];
    if (next && !LIST_ITEM.test(next.text)) {
      next.text = `- ${next.text}`;
      for (let k = i; k < j; k++) {
        const gone = lines[k];
        if (gone) gone.page = -1; // removed at assembly
      }
    }
  }
}

/** Structure a conversion flattened: page chrome, run-together items, split labels and tables. */
function rebuildStructure(input: Line[]): Line[] {
  removeWebFurniture(input);
  stripTranscriptPageNumbers(input);
  const contents = splitInlineContents(input);
  const lines = splitGluedItemHeadings(contents.lines, contents.titles);
  pairItemNumbers(lines);
  rebuildLabels(lines);
  return rebuildCellTables(lines);
}

/** Cleans one extracted document. Pure; linear in the input size. */
export function cleanDocument(raw: RawDocument): CleanedDocument {
  const { pages, paged, webMeta } = splitPages(raw);
  if (pages.length > 1) removeFurniture(pages);
  const tidied = tidyPages(pages);
  attachBareBullets(tidied);
  const lines = rebuildStructure(tidied);
  joinHyphenated(lines);
  // text and markdown transcribed from PDF or wrapped by hand break sentences the same way
  if (raw.format !== "html") reflowWrappedLines(lines);
  repairBrokenParagraphs(lines);

  let text = "";
  const headingHints: HeadingHint[] = [];
  const pageOffsets: number[] = [];
  let blank = true; // suppresses leading blank lines
  let pendingBlank = false;
  for (const line of lines) {
    if (line.page < 0) continue;
    if (line.text === "") {
      pendingBlank = !blank;
      continue;
    }
    if (text !== "") text += pendingBlank ? "\n\n" : "\n";
    pendingBlank = false;
    blank = false;
    while (pageOffsets.length <= line.page) pageOffsets.push(text.length);
    if (line.level > 0) headingHints.push({ start: text.length, level: line.level });
    text += line.text;
  }
  while (pageOffsets.length < pages.length) pageOffsets.push(text.length);
  return { text, pageOffsets: paged ? pageOffsets : [], headingHints, webMeta };
}
