/**
 * Dates in Danish and English prose: "14. september 2020", "11-11-2020", "2020-11-11",
 * "marts 2022", "den 8. september", "8. sep. 2020", "11 November 2020", "November 11, 2020",
 * "i 2016", and as web pages print them: "21. 01. 2022", "23.03.18", "24-10-17". Shared by ingest (document dates) and query understanding ("mødet i marts 2022").
 */

export type DatePrecision = "day" | "month" | "year";

export interface DateMatch {
  /** YYYY-MM-DD, YYYY-MM or YYYY, as precise as the text. */
  iso: string;
  precision: DatePrecision;
  index: number;
  length: number;
  /** text.slice(index, index + length) */
  text: string;
}

export interface FindDatesOptions {
  /** Year for day-month dates ("den 8. september") when no year precedes them in the text. */
  defaultYear?: number;
  /**
   * Also report standalone years ("2016 har været et år", "Rammeaftale 2021-2022"). Off by
   * default: bare four-digit numbers are often amounts or case numbers. Years after a cue
   * word ("i 2016", "siden 2007", "in 2016") are always reported.
   */
  bareYears?: boolean;
}

export const DA_MONTHS = [
  "januar",
  "februar",
  "marts",
  "april",
  "maj",
  "juni",
  "juli",
  "august",
  "september",
  "oktober",
  "november",
  "december",
];
const EN_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "jan|feb|…|may|oct|…": the three-letter starts of every Danish and English month name, for patterns. */
export const MONTH_PREFIX_PATTERN = [
  ...new Set([...DA_MONTHS, ...EN_MONTHS].map((m) => m.slice(0, 3).toLowerCase())),
].join("|");

/** Every spelling (lower case) → month number 1–12. */
const MONTH_BY_NAME = new Map<string, number>();
DA_MONTHS.forEach((m, i) => {
  MONTH_BY_NAME.set(m, i + 1);
});
EN_MONTHS.forEach((m, i) => {
  MONTH_BY_NAME.set(m.toLowerCase(), i + 1);
});
for (const [abbr, n] of [
  ["jan", 1],
  ["feb", 2],
  ["mar", 3],
  ["apr", 4],
  ["jun", 6],
  ["jul", 7],
  ["aug", 8],
  ["sep", 9],
  ["sept", 9],
  ["okt", 10],
  ["oct", 10],
  ["nov", 11],
  ["dec", 12],
] as const) {
  MONTH_BY_NAME.set(abbr, n);
}

// Longest names first so "marts" is not read as "mar" + "ts".
const MONTH_ALT = [...MONTH_BY_NAME.keys()].sort((a, b) => b.length - a.length).join("|");
const MONTH = `(${MONTH_ALT})(?![\\p{L}])\\.?`;
const NOT_BEFORE = "(?<![\\p{L}\\p{N}])";
const NOT_AFTER = "(?![\\p{L}\\p{N}])";
const YEAR = "((?:1[89]|2[01])\\d\\d)";

// Each pattern's groups are read by the matching `build` below.
// A date never runs over a line break: "den 19. november" above a "2025" heading is 2024's.
const DAY_MONTH_YEAR = new RegExp(
  `${NOT_BEFORE}(\\d{1,2})(?:\\.[^\\S\\n]*|(?:st|nd|rd|th)?[^\\S\\n]+(?:of[^\\S\\n]+)?)${MONTH}(?:,?[^\\S\\n]+${YEAR}(?![\\p{N}]))?(?![\\p{L}])`,
  "giu",
);
const MONTH_DAY_YEAR = new RegExp(
  `${NOT_BEFORE}${MONTH}[^\\S\\n]+(\\d{1,2})(?:st|nd|rd|th)?,?[^\\S\\n]+${YEAR}${NOT_AFTER}`,
  "giu",
);
const MONTH_YEAR = new RegExp(`${NOT_BEFORE}${MONTH}[^\\S\\n]+${YEAR}${NOT_AFTER}`, "giu");
// Day first, as Danish writes it; "11/11-2020" mixes separators, "11/11 2020" uses a space.
const NUMERIC_DMY = new RegExp(
  `(?<![\\p{L}\\p{N}.\\-/])(\\d{1,2})[-/.](\\d{1,2})(?:[-/.]|(?<=\\d\\/\\d{1,2})\\s+)${YEAR}(?![\\p{N}]|[-/]\\d)`,
  "gu",
);
// "21. 01. 2022": a dotted date with a space after each dot.
const SPACED_DMY = new RegExp(
  `(?<![\\p{L}\\p{N}.\\-/])(\\d{1,2})\\.\\s(\\d{1,2})\\.\\s?${YEAR}(?![\\p{N}]|[-/]\\d)`,
  "gu",
);
// "23.03.18", "24-10-17": two digits each and the same separator twice; not a time
// ("kl. 10.15") or a number ("nr. 12.05.18"), nor followed by more digit groups.
const SHORT_DMY =
  /(?<![\p{L}\p{N}.\-/:,])(?<!(?:kl|nr|tlf|tel|sag|j)\.?\s?)(\d{2})([.-])(\d{2})\2(\d{2})(?![\p{L}\p{N}]|[.:,-]\d)/giu;
/** Two-digit years: 00–69 are 2000–2069, 70–99 are 1970–1999. */
const fullYear = (yy: number) => (yy < 70 ? 2000 + yy : 1900 + yy);
const ISO = new RegExp(`(?<![\\p{L}\\p{N}.\\-/])${YEAR}-(\\d{2})-(\\d{2})(?![\\p{N}]|[-/]\\d)`, "gu");
const CUED_YEAR = new RegExp(
  `${NOT_BEFORE}(?:i|fra|til|siden|år|året|årene|primo|medio|ultimo|inden|før|efter|in|from|since|until|during|before|after)\\s+${YEAR}(?![\\p{L}\\p{N}]|[-/]\\d)`,
  "giu",
);
const BARE_YEAR = new RegExp(`${NOT_BEFORE}${YEAR}(?![\\p{L}\\p{N}])`, "gu");

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number) => String(n).padStart(2, "0");

function isoOf(year: number, month?: number, day?: number): string | null {
  if (month === undefined) return String(year);
  if (month < 1 || month > 12) return null;
  if (day === undefined) return `${year}-${pad(month)}`;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

interface Candidate {
  index: number;
  length: number;
  year: number | null;
  month?: number;
  day?: number;
  /** Whole-match span used to resolve overlaps; index/length is what is reported. */
  spanStart: number;
  spanEnd: number;
}

const monthOf = (name: string | undefined) => MONTH_BY_NAME.get((name ?? "").toLowerCase());

interface Collected {
  /** sorted by start, longest first at the same start */
  candidates: Candidate[];
  yearMarks: number[];
}

const NONE: Collected = { candidates: [], yearMarks: [] };
const HAS_DIGIT = /\d/;

/**
 * The answer stage looks for dates in the same chunk once per unit (and again in the next
 * ask): what the patterns found in a text is memoised, bounded by total length. Every pattern
 * needs a digit, so a text without one has none.
 */
const collected = [0, 1].map(() => ({ memo: new Map<string, Collected>(), chars: 0 }));
const COLLECTED_MAX_CHARS = 2_000_000;

function collectMemo(text: string, bareYears: boolean): Collected {
  if (!HAS_DIGIT.test(text)) return NONE;
  const cache = collected[bareYears ? 1 : 0]!;
  let c = cache.memo.get(text);
  if (c === undefined) {
    c = collect(text, bareYears);
    c.candidates.sort(
      (a, b) => a.spanStart - b.spanStart || b.spanEnd - b.spanStart - (a.spanEnd - a.spanStart),
    );
    cache.chars += text.length;
    if (cache.chars > COLLECTED_MAX_CHARS) {
      cache.memo.clear();
      cache.chars = text.length;
    }
    cache.memo.set(text, c);
  }
  return c;
}

function collect(text: string, bareYears: boolean): Collected {
  const out: Candidate[] = [];
  const push = (m: RegExpExecArray, year: number | null, month?: number, day?: number) => {
    out.push({
      index: m.index,
      length: m[0].length,
      year,
      month,
      day,
      spanStart: m.index,
      spanEnd: m.index + m[0].length,
    });
  };
  for (const m of text.matchAll(ISO)) push(m, Number(m[1]), Number(m[2]), Number(m[3]));
  for (const m of text.matchAll(NUMERIC_DMY)) {
    let day = Number(m[1]);
    let month = Number(m[2]);
    // Only when the day-first reading is impossible: the US order "11/25/2020".
    if (month > 12 && day <= 12) [day, month] = [month, day];
    push(m, Number(m[3]), month, day);
  }
  for (const m of text.matchAll(SPACED_DMY)) push(m, Number(m[3]), Number(m[2]), Number(m[1]));
  for (const m of text.matchAll(SHORT_DMY)) push(m, fullYear(Number(m[4])), Number(m[3]), Number(m[1]));
  for (const m of text.matchAll(DAY_MONTH_YEAR)) {
    push(m, m[3] === undefined ? null : Number(m[3]), monthOf(m[2]), Number(m[1]));
  }
  for (const m of text.matchAll(MONTH_DAY_YEAR)) push(m, Number(m[3]), monthOf(m[1]), Number(m[2]));
  for (const m of text.matchAll(MONTH_YEAR)) push(m, Number(m[2]), monthOf(m[1]));
  for (const m of text.matchAll(CUED_YEAR)) {
    const y = m[1] ?? "";
    const at = m.index + m[0].length - y.length;
    out.push({
      index: at,
      length: y.length,
      year: Number(y),
      spanStart: m.index,
      spanEnd: at + y.length,
    });
  }
  // Explicit years anywhere give day-month dates their year; they are reported only on request.
  const yearMarks: number[] = [];
  for (const m of text.matchAll(BARE_YEAR)) {
    const before = text.charCodeAt(m.index - 1);
    const after = text.slice(m.index + 4, m.index + 10);
    // "SAG-2020-04616" is a case number, not a year.
    const caseNo = (before === 45 && /\p{L}/u.test(text.charAt(m.index - 2))) || /^-\d{5}/.test(after);
    if (caseNo) continue;
    yearMarks.push(m.index);
    if (bareYears) push(m, Number(m[0]));
  }
  return { candidates: out, yearMarks };
}

/** All dates in `text`, in order of appearance, without overlaps (the longest reading wins). */
export function findDates(text: string, opts: FindDatesOptions = {}): DateMatch[] {
  const { candidates, yearMarks } = collectMemo(text, opts.bareYears === true);
  const result: DateMatch[] = [];
  let coveredTo = -1;
  let yi = 0;
  let lastYear: number | null = null;
  for (const c of candidates) {
    if (c.spanStart < coveredTo) continue;
    while (yi < yearMarks.length && (yearMarks[yi] ?? 0) < c.spanStart) {
      const at = yearMarks[yi] ?? 0;
      lastYear = Number(text.slice(at, at + 4));
      yi++;
    }
    let year = c.year;
    if (year === null) {
      const next = yearMarks[yi];
      year = lastYear ?? opts.defaultYear ?? (next === undefined ? null : Number(text.slice(next, next + 4)));
    }
    if (year === null || (c.month === undefined && c.day !== undefined)) continue;
    const iso = isoOf(year, c.month, c.day);
    coveredTo = c.spanEnd;
    // "30. februar 2021" is a typo, not the month "februar 2021".
    if (iso === null) continue;
    if (c.year !== null) lastYear = c.year;
    result.push({
      iso,
      precision: c.day !== undefined ? "day" : c.month !== undefined ? "month" : "year",
      index: c.index,
      length: c.length,
      text: text.slice(c.index, c.index + c.length),
    });
  }
  return result;
}

/** The first date in `text`, or null. */
export function parseDate(text: string, opts: FindDatesOptions = {}): DateMatch | null {
  return findDates(text, opts)[0] ?? null;
}

const ISO_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function splitIso(iso: string): { y: number; m?: number; d?: number } | null {
  const m = ISO_RE.exec(iso.trim());
  if (!m) return null;
  const y = Number(m[1]);
  if (m[2] === undefined) return { y };
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return null;
  if (m[3] === undefined) return { y, m: mo };
  const d = Number(m[3]);
  if (d < 1 || d > daysInMonth(y, mo)) return null;
  return { y, m: mo, d };
}

/** "2020-11-11" → "11. november 2020", "2022-03" → "marts 2022", "2016" → "2016". Bad input is returned as is. */
export function formatDanishDate(iso: string): string {
  const p = splitIso(iso);
  if (!p) return iso;
  if (p.m === undefined) return String(p.y);
  const month = DA_MONTHS[p.m - 1] ?? "";
  return p.d === undefined ? `${month} ${p.y}` : `${p.d}. ${month} ${p.y}`;
}

/** "2020-11-11" → "11 November 2020", "2022-03" → "March 2022", "2016" → "2016". Bad input is returned as is. */
export function formatEnglishDate(iso: string): string {
  const p = splitIso(iso);
  if (!p) return iso;
  if (p.m === undefined) return String(p.y);
  const month = EN_MONTHS[p.m - 1] ?? "";
  return p.d === undefined ? `${month} ${p.y}` : `${p.d} ${month} ${p.y}`;
}
