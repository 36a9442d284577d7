/**
 * Mentions of the five KKR regions in Danish or English text: "KKR Syddanmark", "Region
 * Sjælland", "de syddanske kommuner", "Sjaelland", "Southern Denmark". Shared by ingest
 * (which region a document is about) and query understanding (which region a question asks about).
 */
import type { Region } from "../types.js";

export type RegionForm =
  /** "KKR Syddanmark", "Kommunekontaktrådet Sjælland" */
  | "kkr"
  /** "Region Syddanmark", "Region of Southern Denmark", "Regionsrådet i Nordjylland" */
  | "region"
  /** "Syddanmark", "Southern Denmark", "Hovedstadsregionen", "Erhvervshus Sjælland" */
  | "name"
  /** "syddanske", "sjællandske", "hovedstadens" */
  | "adjective"
  /**
   * A part of a region: "Fyn", "Sydjylland" and "Sønderjylland" lie in Syddanmark,
   * "Nordsjælland" and "Bornholm" in Hovedstaden. Weak evidence: Erhvervshus Fyn is a
   * Syddanmark body, but a sub-area alone rarely says which KKR a document is from.
   */
  | "subarea";

export interface RegionMention {
  region: Exclude<Region, "all">;
  index: number;
  length: number;
  form: RegionForm;
}

type Concrete = Exclude<Region, "all">;

// Spellings are matched case-insensitively and with ASCII fallbacks for æ/ø/å
// (æ → ae/a, ø → oe/o, å → aa/a), which is how file names and old systems write them.
const AE = "(?:æ|ae|a)";
const OE = "(?:ø|oe|o)";
const AA = "(?:å|aa|a)";

interface Spelling {
  region: Concrete;
  form: "name" | "adjective" | "subarea";
  pattern: string;
}

const SPELLINGS: Spelling[] = [
  // Nordsjælland belongs to Hovedstaden, so it must be tried before "Sjælland".
  { region: "Hovedstaden", form: "subarea", pattern: `nordsj${AE}lland(?:s|ske)?` },
  { region: "Hovedstaden", form: "subarea", pattern: "bornholms?" },
  {
    region: "Hovedstaden",
    form: "name",
    pattern: "hovedstadsregionens?|hovedstadsomr(?:å|aa)det|hovedstaden",
  },
  { region: "Hovedstaden", form: "adjective", pattern: "hovedstadens" },
  { region: "Hovedstaden", form: "name", pattern: "capital\\s+region(?:\\s+of\\s+denmark)?" },
  { region: "Sjælland", form: "subarea", pattern: `(?:vest|syd|midt)sj${AE}lland(?:s|ske)?|lolland-falster` },
  { region: "Sjælland", form: "name", pattern: `sj${AE}llands?` },
  { region: "Sjælland", form: "adjective", pattern: `sj${AE}llandske?` },
  // "New Zealand" is no region of Denmark
  { region: "Sjælland", form: "name", pattern: "(?<!new\\s)zealand" },
  { region: "Syddanmark", form: "name", pattern: "syddanmarks?|syd-danmark|southern\\s+denmark" },
  { region: "Syddanmark", form: "adjective", pattern: "syddanske?" },
  {
    region: "Syddanmark",
    form: "subarea",
    pattern: `fyns?|fynske?|sydjyllands?|s${OE}nderjyllands?|s${OE}nderjyske?`,
  },
  {
    region: "Midtjylland",
    form: "name",
    pattern: "midtjyllands?|midt-jyllands?|central\\s+denmark|central\\s+jutland",
  },
  { region: "Midtjylland", form: "adjective", pattern: "midtjyske?" },
  { region: "Midtjylland", form: "subarea", pattern: "(?:øst|oest)jyllands?" },
  { region: "Nordjylland", form: "name", pattern: "nordjyllands?|north\\s+denmark|north(?:ern)?\\s+jutland" },
  { region: "Nordjylland", form: "adjective", pattern: "nordjyske?" },
  { region: "Nordjylland", form: "subarea", pattern: "vendsyssel|himmerland" },
];

// One alternation: group 1 is the optional "KKR"/"Region" prefix, then one group per spelling.
const PREFIX = `(kkr[-\\s]+|kommunekontaktr${AA}d(?:et)?\\s+|regionsr${AA}det\\s+(?:i\\s+)?|region(?:\\s+of)?\\s+)?`;
const MENTION_RE = new RegExp(
  `(?<![\\p{L}\\p{N}])${PREFIX}(?:${SPELLINGS.map((s) => `(${s.pattern})`).join("|")})(?:\\s+region)?(?![\\p{L}\\p{N}])`,
  "giu",
);

/** Every region mention in `text`, in order. */
export function detectRegions(text: string): RegionMention[] {
  // the answer stage asks this of every unit of every passage, again in the next ask:
  // memoised per text (bounded), a copy each time (callers sort what they get)
  let found = regionMemo.get(text);
  if (found === undefined) {
    found = findRegions(text);
    regionMemoChars += text.length;
    if (regionMemoChars > 1_000_000) {
      regionMemo.clear();
      regionMemoChars = text.length;
    }
    regionMemo.set(text, found);
  }
  return found.map((m) => ({ ...m }));
}
const regionMemo = new Map<string, RegionMention[]>();
let regionMemoChars = 0;

function findRegions(text: string): RegionMention[] {
  const out: RegionMention[] = [];
  for (const m of text.matchAll(MENTION_RE)) {
    const which = SPELLINGS.findIndex((_, i) => m[i + 2] !== undefined);
    const spelling = SPELLINGS[which];
    if (!spelling) continue;
    const prefix = (m[1] ?? "").toLowerCase();
    let form: RegionForm = spelling.form;
    // A prefix makes it explicit, but "KKR Fyn" is not a KKR: sub-areas stay sub-areas.
    if (prefix !== "" && spelling.form !== "subarea") {
      form = prefix.startsWith("region") ? "region" : "kkr";
    }
    // "North Denmark Region", "Zealand Region"
    if (form === "name" && /\sregion$/i.test(m[0])) form = "region";
    out.push({ region: spelling.region, index: m.index, length: m[0].length, form });
  }
  return out;
}

const SLUGS: Record<Region, string> = {
  Hovedstaden: "hovedstaden",
  Sjælland: "sjaelland",
  Syddanmark: "syddanmark",
  Midtjylland: "midtjylland",
  Nordjylland: "nordjylland",
  all: "all",
};

/** ASCII slug for URLs, file names and CLI flags: "Sjælland" → "sjaelland". */
export function regionSlug(region: Region): string {
  return SLUGS[region];
}

/**
 * A user-supplied region ("sjaelland", "KKR Syddanmark", "Southern Denmark", "alle") → Region,
 * or null when it names none or several.
 */
export function parseRegion(value: string): Region | null {
  const v = value.trim();
  if (/^(?:all|alle|hele landet|de fem kkr|alle kkr)$/i.test(v)) return "all";
  const found = new Set(detectRegions(v).map((m) => m.region));
  return found.size === 1 ? ([...found][0] ?? null) : null;
}
