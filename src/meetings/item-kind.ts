/**
 * What kind of agenda item a point is — Orientering, Drøftelse, Beslutning, Godkendelse or
 * Udpegning — read from the wording of its recommendation ("Det indstilles, at KKR … tager
 * orienteringen til efterretning") or decision ("Godkendt."), else from its title
 * ("Godkendelse af referat", "Orientering om …"). General Danish agenda vocabulary only.
 */
import type { Language } from "../types.js";

export const ITEM_KINDS = ["Udpegning", "Godkendelse", "Beslutning", "Drøftelse", "Orientering"] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

const B = "(?<![\\p{L}])";
const E = "(?![\\p{L}])";
const word = (body: string) => new RegExp(`${B}(?:${body})${E}`, "iu");

/**
 * Checked in this order: the most committing act wins ("drøfter og godkender" is an
 * approval, "drøfter og udpeger" an appointment).
 */
const RULES: [ItemKind, RegExp][] = [
  [
    "Udpegning",
    word(
      "udpeg\\p{L}*|genudpeg\\p{L}*|vælger|valgte|valgt|indstiller\\s+\\p{L}+\\s+til|appoint\\p{L}*|nominat\\p{L}*",
    ),
  ],
  ["Godkendelse", word("godkend\\p{L}*|approv\\p{L}*")],
  [
    "Beslutning",
    word(
      "beslut\\p{L}*|vedtag\\p{L}*|vedtog|tiltræd\\p{L}*|anbefal\\p{L}*|bevilg\\p{L}*|prioriter\\p{L}*|afgør\\p{L}*|giver\\s+mandat|bakker\\s+op|decid\\p{L}*|adopt\\p{L}*|endors\\p{L}*",
    ),
  ],
  ["Drøftelse", word("drøft\\p{L}*|debat\\p{L}*|dialog\\p{L}*|diskut\\p{L}*|discuss\\p{L}*")],
  ["Orientering", word("orient\\p{L}*|efterretning|informer\\p{L}*|note\\s+of")],
];

/**
 * The kind the wording names: the first act after "indstilles, at" ("tager orienteringen om
 * de godkendte projekter til efterretning" is information), unless it is coordinated with a
 * more committing one ("drøfter og godkender" is an approval). Null when it names none.
 */
export function kindFromWording(text: string | null | undefined): ItemKind | null {
  if (!text) return null;
  const verbPart = /indstill(?:es|er),?\s+at\s+([\s\S]*)/iu.exec(text)?.[1] ?? text;
  const hits: { kind: ItemKind; index: number; end: number }[] = [];
  for (const [kind, re] of RULES) {
    for (const m of verbPart.matchAll(new RegExp(re.source, "giu"))) {
      hits.push({ kind, index: m.index, end: m.index + m[0].length });
    }
  }
  if (hits.length === 0) return null;
  hits.sort((a, b) => a.index - b.index);
  const first = hits[0] as (typeof hits)[number];
  let kind = first.kind;
  for (const h of hits.slice(1)) {
    const between = verbPart.slice(first.end, h.index);
    // "drøfter og godkender", "drøftede forslaget og anbefaler": a later act joined by "og"
    if (!/^(?:\s+[\p{L}\p{N}/-]+){0,5}\s*,?\s*(?:og|samt|and)\s+(?:\p{L}+\s+)?$/iu.test(between)) continue;
    if (ITEM_KINDS.indexOf(h.kind) < ITEM_KINDS.indexOf(kind)) kind = h.kind;
  }
  return kind;
}

/** From the title alone ("Godkendelse af referat", "Orientering om nye klynger", "Valg af …"). */
export function kindFromTitle(title: string): ItemKind | null {
  const t = title.trim();
  if (/^(?:valg|udpegning|udpegelse|indstilling\s+af\s+medlem)/iu.test(t)) return "Udpegning";
  if (/^godkendelse/iu.test(t)) return "Godkendelse";
  if (/^(?:beslutning|vedtagelse)/iu.test(t)) return "Beslutning";
  if (/^(?:drøftelse|temadrøftelse|debat|dialog)/iu.test(t)) return "Drøftelse";
  if (/^(?:orientering|status|meddelelser|siden sidst)/iu.test(t)) return "Orientering";
  return null;
}

/** The item's kind: its recommendation, else its decision, else its title. */
export function itemKind(input: {
  recommendation?: string | null;
  decision?: string | null;
  title: string;
}): ItemKind | null {
  return (
    kindFromWording(input.recommendation) ?? kindFromWording(input.decision) ?? kindFromTitle(input.title)
  );
}

const LABELS: Record<Language, Record<ItemKind, string>> = {
  da: {
    Orientering: "Orientering",
    Drøftelse: "Drøftelse",
    Beslutning: "Beslutning",
    Godkendelse: "Godkendelse",
    Udpegning: "Udpegning",
  },
  en: {
    Orientering: "Information",
    Drøftelse: "Discussion",
    Beslutning: "Decision",
    Godkendelse: "Approval",
    Udpegning: "Appointment",
  },
};

export const itemKindLabel = (kind: ItemKind, lang: Language) => LABELS[lang][kind];

// Words a recommendation uses to say only what kind of item it is.
const STANDARD_WORDS = new Set(
  (
    "det indstilles at om og til i på af med den de det en et for fra som samt " +
    "kkr kommunekontaktrådet rådet udvalget tager taget tage orienteringen orientering efterretning " +
    "drøfter drøftelse drøftet godkender godkendt godkende godkendes referatet referat beslutningsreferatet " +
    "mødet møde næste punkter punkt punkterne temaer tema sagen sager forslaget forslag " +
    "beslutter beslutning vedtager anbefaler tiltræder udpeger udpegning indstillingen oplægget oplæg " +
    "vedlagte bilag dagsorden dagsordenen"
  ).split(" "),
);

/**
 * True when a recommendation or decision says only what kind of item it is ("Det
 * indstilles, at KKR Syddanmark tager orienteringen til efterretning.", "Godkendt.",
 * "… godkender referatet fra mødet den 8. september 2020"): named by its kind, not quoted.
 */
export function isStandardWording(text: string, regionWords: string[] = []): boolean {
  const region = new Set(regionWords.map((w) => w.toLowerCase()));
  const words = text
    .toLowerCase()
    .replace(/\d{1,2}\.\s*\p{L}+\s+\d{4}|\d{1,4}[-./]\d{1,2}(?:[-./]\d{2,4})?|\d{4}/gu, " ")
    .match(/[\p{L}/]+/gu);
  const content = (words ?? [])
    .flatMap((w) => w.split("/"))
    .filter((w) => w.length > 0 && !STANDARD_WORDS.has(w) && !region.has(w) && !MONTHS.has(w));
  return content.length === 0;
}

const MONTHS = new Set(
  "januar februar marts april maj juni juli august september oktober november december".split(" "),
);
