/**
 * Letter-spaced capitals, as PDF converters and web transcripts give spaced-out headings:
 * "K K R  H O V E D S T A D E N" → "KKR HOVEDSTADEN", "R E F E R A T 2 0 2 1" → "REFERAT 2021".
 * Words are split where the spacing is wider; when it is not, known words (KKR, the regions,
 * the municipalities, agenda vocabulary, months) mark where one word ends and the next begins.
 */
import municipalities from "../src/text/municipalities.json" with { type: "json" };

const DOMAIN_WORDS = [
  "KKR",
  "KL",
  "REGION",
  "REGIONEN",
  "REGIONS",
  "KOMMUNE",
  "KOMMUNER",
  "KOMMUNERNE",
  "KOMMUNEKONTAKTRÅD",
  "KOMMUNEKONTAKTRÅDET",
  "HOVEDSTADEN",
  "SJÆLLAND",
  "SYDDANMARK",
  "MIDTJYLLAND",
  "NORDJYLLAND",
  "DANMARK",
  "REFERAT",
  "DAGSORDEN",
  "BESLUTNINGSPROTOKOL",
  "NYHEDSBREV",
  "FOLDER",
  "BERETNING",
  "ÅRSBERETNING",
  "MØDE",
  "MØDET",
  "MØDEPLAN",
  "MØDEKALENDER",
  "MØDEDATO",
  "MØDESTED",
  "DATO",
  "STED",
  "TID",
  "BILAG",
  "INDHOLD",
  "PUNKT",
  "SIDE",
  "FRA",
  "TIL",
  "OG",
  "I",
  "FOR",
  "PÅ",
  "DEN",
  "AF",
  "MED",
  "OM",
  "JANUAR",
  "FEBRUAR",
  "MARTS",
  "APRIL",
  "MAJ",
  "JUNI",
  "JULI",
  "AUGUST",
  "SEPTEMBER",
  "OKTOBER",
  "NOVEMBER",
  "DECEMBER",
  "MANDAG",
  "TIRSDAG",
  "ONSDAG",
  "TORSDAG",
  "FREDAG",
  "LØRDAG",
  "SØNDAG",
  "AGENDA",
  "MINUTES",
  "MEETING",
];

const WORDS = new Set([
  ...DOMAIN_WORDS,
  ...(municipalities as string[]).flatMap((m) => m.toUpperCase().split(/[-\s]+/)),
]);
const LONGEST = Math.max(...[...WORDS].map((w) => w.length));

/** A run of single letters or digits separated by 1–3 spaces, at least three of them. */
const SPACED_RUN = /(?<![\p{L}\p{N}])(?:[\p{L}\p{N}] {1,3}){2,}[\p{L}\p{N}](?![\p{L}\p{N}])/gu;

/** Splits a run of capitals with no word spacing into known words (unknown stretches stay whole). */
export function segmentCapitals(s: string): string[] {
  const n = s.length;
  // cost[i]: cheapest segmentation of s[0, i); a known word costs 1, an unknown letter 3.
  const cost = new Array<number>(n + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Array<{ j: number; known: boolean }>(n + 1);
  cost[0] = 0;
  const at = (i: number) => cost[i] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= n; i++) {
    for (let j = Math.max(0, i - LONGEST); j < i; j++) {
      if (at(j) + 1 < at(i) && WORDS.has(s.slice(j, i))) {
        cost[i] = at(j) + 1;
        from[i] = { j, known: true };
      }
    }
    if (at(i - 1) + 3 < at(i)) {
      cost[i] = at(i - 1) + 3;
      from[i] = { j: i - 1, known: false };
    }
  }
  const parts: { text: string; known: boolean }[] = [];
  for (let i = n; i > 0; ) {
    const f = from[i];
    if (!f) break;
    const text = s.slice(f.j, i);
    const last = parts[0];
    if (!f.known && last && !last.known) last.text = text + last.text;
    else parts.unshift({ text, known: f.known });
    i = f.j;
  }
  const out: string[] = [];
  for (const p of parts) {
    const prev = out.length - 1;
    // "NORDJYLLAND" + "S": a one- or two-letter unknown tail is the known word's ending.
    if (!p.known && p.text.length <= 2 && prev >= 0) out[prev] += p.text;
    else out.push(p.text);
  }
  return out.length > 0 ? out : [s];
}

function joinRun(run: string): string | null {
  const letters = run.replace(/[^\p{L}]/gu, "");
  if (letters.length < 3) return null;
  const allCaps = letters === letters.toUpperCase();
  // "R e f e r a t": a capital then lower case letters is one word, also letter-spaced.
  const capitalised = /^\p{Lu}\p{Ll}+$/u.test(letters) && letters.length >= 5 && !/\p{N}/u.test(run);
  if (!allCaps && !capitalised) return null;
  const words: string[] = [];
  for (const group of run.trim().split(/ {2,}/)) {
    const glyphs = group.replace(/ /g, "");
    // Letters and digits are separate words: "REFERAT2021" → "REFERAT 2021".
    for (const piece of glyphs.match(/\p{L}+|\p{N}+/gu) ?? []) {
      if (/\p{N}/u.test(piece) || !allCaps) words.push(piece);
      else words.push(...segmentCapitals(piece));
    }
  }
  return words.join(" ");
}

/** Joins letter-spaced words in one line; other text is untouched. */
export function joinLetterSpaced(line: string): string {
  if (!/[\p{L}\p{N}] [\p{L}\p{N}] [\p{L}\p{N}]/u.test(line)) return line;
  return line.replace(SPACED_RUN, (run) => joinRun(run) ?? run);
}
