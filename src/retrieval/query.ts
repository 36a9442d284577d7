import { findDates } from "../text/dates.js";
import { fold } from "../text/fold.js";
import { detectRegions } from "../text/regions.js";
import type { DocKind, GlossaryEntry, Language, Region } from "../types.js";
import daSynonyms from "./da-synonyms.json" with { type: "json" };
import enDa from "./en-da-terms.json" with { type: "json" };
import { detectLanguage } from "./language.js";

export type QuestionType = "who" | "when" | "where" | "howmany" | "list" | "define" | "role" | "what";

export interface QueryAnalysis {
  question: string;
  language: Language;
  type: QuestionType;
  /** Content words of the question, lowercased. */
  keywords: string[];
  /** Danish translations of English words and glossary expansions / acronyms. */
  expansions: string[];
  /** Every term retrieval and evidence scoring use (keywords + expansions). */
  terms: string[];
  /**
   * What the evidence should talk about: one group per question word, each a list of
   * interchangeable terms (the word, its Danish translations, acronym ↔ long form).
   * Region names and dates are left out: they are checked against document metadata.
   */
  concepts: string[][];
  /** Regions the question names, in order. */
  regions: Region[];
  /** The one region the question is about, when it names exactly one. */
  region: Region | null;
  dates: { iso: string; precision: "day" | "month" | "year" }[];
  kinds: DocKind[];
  /**
   * Names, acronyms and codes the evidence has to mention ("Erhvervshus Fyn", "DK2020",
   * "Astrid Krag"), each with its alternatives (acronym ↔ long form from the glossary).
   */
  entities: string[][];
  /** Number of items asked for ("tre temaer" → 3). */
  listCount: number | null;
  /** Agenda item the question names ("punkt 2.4", "item 3.1"). */
  item: string | null;
  /** What a "hvad er X / what is X" question asks to have defined. */
  defines: string | null;
  /** When that is an acronym the glossary knows: its long form. */
  definition: { acronym: string; expansion: string } | null;
  /** The noun after "hvilke/which" ("organisationer"): the kind of answer, not its words. */
  answerNoun: string | null;
  embedText: string;
  ftsQuery: string;
}

const QUESTION_WORDS = new Set(
  (
    "hvem hvad hvor hvornår hvilke hvilken hvilket hvordan hvorfor mange meget hvis kan kunne skal må er var blev bliver har havde " +
    "who whom whose what when where which why how many much is are was were be been do does did has have had can could should would will " +
    "fortæl fortael nævn naevn giv vis find list tell give show me please venligst gerne om about there der " +
    "dato datoen date tidspunkt tidspunktet time handler handle omhandler about ligger located situated"
  ).split(" "),
);
const STOP = new Set(
  (
    "og i at det en den til er som på de med af for ikke der var sig men et har om vi nu over da fra du ud sin dem os op man hans eller skal selv her alle vil blev kunne ind når være noget efter ned skulle denne end dette også under have anden meget sit sine mod disse hos blive mange bliver været sådan dens deres ifølge iflg alt godt helt " +
    "the a an and or of to in on at by for with from is are was were be it its this that these those as into than then there their they them he she his her we our you your i my not no do does did have has had will would shall should can could may might must about which who what when where why how any some all according total regarding concerning"
  ).split(" "),
);

const KIND_WORDS: [RegExp, DocKind][] = [
  [/\b(dagsorden\w*|agendas?)\b/i, "dagsorden"],
  [/\b(referat\w*|minutes)\b/i, "referat"],
  [/\b(nyhedsbrev\w*|newsletters?)\b/i, "nyhedsbrev"],
  [/\b(folder\w*|brochures?|leaflets?)\b/i, "folder"],
  [/\b(beretning\w*|annual reports?)\b/i, "beretning"],
  [/\b(nyhed(?:en|er|erne)?|news(?: articles?)?)\b/i, "nyhed"],
  [
    /(?<![\p{L}])(mødeplan\p{L}*|mødekalender\p{L}*|mødedatoer\p{L}*|meeting (?:calendars?|schedules?|dates))(?![\p{L}])/iu,
    "mødeplan",
  ],
  [/(?<![\p{L}])(udpegning\p{L}*|appointments?)(?![\p{L}])/iu, "udpegning"],
];

const NUMBER_WORDS: Record<string, number> = {
  to: 2,
  tre: 3,
  fire: 4,
  fem: 5,
  seks: 6,
  syv: 7,
  otte: 8,
  ni: 9,
  ti: 10,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

/** Words that look like names in a question but are not evidence requirements. */
const NOT_ENTITIES = new Set(
  "kkr kl kkr's kl's region regionen kommune kommunen kommuner danmark denmark danish english hvem hvad hvor hvornår hvilke hvilken who what where when which how i the in".split(
    " ",
  ),
);

const MONTHS = new Set(
  "januar februar marts april maj juni juli august september oktober november december january february march may june july october".split(
    " ",
  ),
);

export { fold };

function questionType(q: string): QuestionType {
  const s = q.toLowerCase();
  // "Hvad er Lise Willers rolle?", "What is Boris Schønfeldt's job?", "Hvilken stilling har X?"
  if (/\b(rolle|stilling|titel|job|role|position|title)\b/.test(s) && /\b(hvad|hvilken|what|which)\b/.test(s))
    return "role";
  if (
    /\b(hvor mange|hvor meget|hvor stor\w*|hvor længe|hvor lang\w*|hvor ofte|hvor høj\w*|how many|how much|how long|how often|how high|hvilket antal|antal(let)? af|number of)\b/.test(
      s,
    )
  )
    return "howmany";
  if (/\b(hvornår|when|what date|which date|hvilken dato|hvilke datoer|hvilken dag|deadline|frist)\b/.test(s))
    return "when";
  if (/\b(hvem|who|whom|whose)\b/.test(s)) return "who";
  if (/\b(where|hvor)\b/.test(s)) return "where";
  // "hvilke" is plural; English "which X" asks for a list when X is plural
  if (/\b(hvilke|list|nævn|name the|what are)\b/.test(s)) return "list";
  const which = /\bwhich\s+(?:of\s+(?:the\s+)?)?(?:[\p{L}'’-]+\s+){0,2}?([\p{L}]+)\b/u.exec(s);
  if (which && (/^which\s+of\b/.test(which[0]) || /(?<!s)s$/.test(which[1] ?? ""))) return "list";
  // keyword queries ("DK2020 ansøgningsfrist", "mødested 11. november") say what they want by a noun
  if (/\b(\p{L}*frist|deadline|dato|datoen|tidspunkt|date)\b/u.test(s)) return "when";
  if (/\b(antal|antallet|count)\b/.test(s)) return "howmany";
  if (/\b(mødested|sted|adresse|location|venue|address)\b/.test(s)) return "where";
  if (/\b(repræsentant\w*|representative\w*|kontaktperson\w*)\b/.test(s)) return "who";
  if (/\b(temaer|emner|punkter|fokusområder|indsatsområder|themes|topics|items)\b/.test(s)) return "list";
  return "what";
}

const TERMS = enDa as unknown as Record<string, string[]>;
const SYNONYMS = daSynonyms as unknown as Record<string, string[]>;
const PHRASES = Object.keys(TERMS)
  .filter((k) => k.includes(" ") && !k.startsWith("_"))
  .sort((a, b) => b.length - a.length);

/** English inflections back to the form the term list has: chairs/chaired/chairing → chair. */
function englishBases(w: string): string[] {
  const out: string[] = [];
  if (w.endsWith("ies")) out.push(`${w.slice(0, -3)}y`);
  if (w.endsWith("es")) out.push(w.slice(0, -2));
  if (w.endsWith("s")) out.push(w.slice(0, -1));
  if (w.endsWith("ied")) out.push(`${w.slice(0, -3)}y`);
  if (w.endsWith("ed")) out.push(w.slice(0, -2), w.slice(0, -1));
  if (w.endsWith("ing")) out.push(w.slice(0, -3), `${w.slice(0, -3)}e`);
  // doubled final consonant: planned → plan, meeting → meet is covered above
  if (/(\w)\1(ed|ing)$/.test(w)) out.push(w.replace(/(\w)\1(ed|ing)$/, "$1"));
  return out;
}

function translateWord(w: string): string[] {
  if (w.startsWith("_")) return [];
  const direct = TERMS[w];
  if (direct) return direct;
  for (const base of englishBases(w)) {
    const t = TERMS[base];
    if (t && !base.startsWith("_")) return t;
  }
  return [];
}

function translatePhrases(lowerQuestion: string): { phrase: string; terms: string[] }[] {
  return PHRASES.filter((p) => phraseRe(p).test(lowerQuestion)).map((phrase) => ({
    phrase,
    terms: TERMS[phrase] ?? [],
  }));
}

/** `\bX\b` for a phrase or acronym, compiled once (every question tests all of them). */
const wordRes = new Map<string, RegExp>();
function phraseRe(p: string): RegExp {
  let re = wordRes.get(p);
  if (!re) {
    re = new RegExp(`\\b${p}\\b`);
    if (wordRes.size >= 20_000) wordRes.clear();
    wordRes.set(p, re);
  }
  return re;
}

/** Acronym ↔ long form from the ingested glossary. */
function expandGlossary(question: string, glossary: GlossaryEntry[]): string[] {
  const out: string[] = [];
  const folded = fold(question);
  for (const g of glossary) {
    if (phraseRe(g.acronym).test(question)) out.push(g.expansion);
    else if (folded.includes(fold(g.expansion))) out.push(g.acronym);
  }
  return out;
}

/**
 * Runs of capitalised words and acronyms after the first word ("Erhvervshus Fyn",
 * "Danmarks Erhvervsfremmebestyrelse", "DK2020"): what the evidence must talk about.
 * Region names are left to the region check; sub-areas like "Fyn" stay part of a name.
 */
function entitiesOf(
  question: string,
  regionSpans: { index: number; length: number }[],
  glossary: GlossaryEntry[],
): string[][] {
  const runs: string[][] = [];
  let current: string[] = [];
  let first = true;
  const flush = () => {
    if (current.length > 0) runs.push(current);
    current = [];
  };
  for (const m of question.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’-]*|[^\s\p{L}\p{N}]+/gu)) {
    const token = m[0];
    if (!/[\p{L}\p{N}]/u.test(token)) {
      flush();
      continue;
    }
    const raw = token.replace(/['’]s$/i, "").replace(/-+$/, "");
    const idx = m.index ?? 0;
    const inRegion = regionSpans.some((r) => idx >= r.index && idx < r.index + r.length);
    const lower = raw.toLowerCase();
    // DEB, DK2020, EU-temadagen, KKR-udpeget
    const isAcronym =
      /^[A-ZÆØÅ]{2,}\d*$/.test(raw) || /^[A-ZÆØÅ]+\d+/.test(raw) || /^[A-ZÆØÅ]{2,}-\p{L}/u.test(raw);
    const isCapitalised = /^[A-ZÆØÅ][\p{Ll}]/u.test(raw);
    const wasFirst = first;
    first = false;
    if (
      inRegion ||
      NOT_ENTITIES.has(lower) ||
      MONTHS.has(lower) ||
      /^\d+$/.test(raw) ||
      !(isAcronym || (isCapitalised && !wasFirst))
    ) {
      flush();
      continue;
    }
    current.push(/^[A-ZÆØÅ]+\d+/.test(raw) ? (raw.split("-")[0] ?? raw) : raw);
  }
  flush();
  return runs.map((words) => {
    const phrase = words.join(" ");
    const alts = [phrase];
    for (const g of glossary) {
      if (words.includes(g.acronym)) alts.push(g.expansion);
      else if (fold(phrase).includes(fold(g.expansion))) alts.push(g.acronym);
    }
    return [...new Set(alts)];
  });
}

/**
 * A question typed in capitals ("HVEM REPRÆSENTERER SYDDANMARK I DEB") would make every
 * word look like an acronym: lowercase it, keeping short words that may be acronyms.
 */
function unshout(q: string): string {
  const letters = q.replace(/[^\p{L}]/gu, "");
  if (letters.length < 8 || letters !== letters.toUpperCase()) return q;
  return q.replace(/[\p{L}\p{N}]+/gu, (w) =>
    w.length <= 4 && !QUESTION_WORDS.has(w.toLowerCase()) && !STOP.has(w.toLowerCase()) ? w : w.toLowerCase(),
  );
}

const RELATIVE_DATE = /\b(?:efter|siden|før|inden|after|since|before)\s+(?:den\s+|the\s+)?$/i;

export function analyzeQuery(
  question: string,
  options: { glossary?: GlossaryEntry[]; history?: { question: string }[]; rewrites?: string[] } = {},
): QueryAnalysis {
  const q = unshout(question.normalize("NFC").trim());
  const language = detectLanguage(q);
  const lower = q.toLowerCase();
  const regionHits = detectRegions(q);
  const regions = [...new Set(regionHits.map((r) => r.region))];
  // sub-areas ("Fyn" in "Erhvervshus Fyn") stay words of the question; region names don't
  const regionSpans = regionHits
    .filter((r) => r.form !== "subarea")
    .map((r) => ({ index: r.index, length: r.length }));
  // "næste møde efter 22. marts", "since 2020": a date the answer lies before or after is a
  // bound, not the date asked about, so it doesn't rule out units naming other dates
  const dates = findDates(q)
    .filter((d) => !RELATIVE_DATE.test(q.slice(Math.max(0, d.index - 12), d.index)))
    .map((d) => ({ iso: d.iso, precision: d.precision }));
  const kinds = KIND_WORDS.filter(([re]) => re.test(q)).map(([, k]) => k);
  const item =
    /\b(?:punkt|pkt\.?|item|dagsordenspunkt|sag)\s+(\d{1,2}(?:\.\d{1,2})*)\b/i
      .exec(q)?.[1]
      ?.replace(/\.$/, "") ?? null;
  const allWords = lower.replace(/['’]s\b/g, "").match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? [];
  const words = allWords.filter((w) => !STOP.has(w) && !QUESTION_WORDS.has(w));
  const keywords = [...new Set(words)];
  // English words are translated whatever the detected language: a keyword query like
  // "FynBus representative" has no function words to detect English by
  const phrases = translatePhrases(lower);
  const wordTranslations = allWords.flatMap(translateWord);
  const glossaryTerms = expandGlossary(q, options.glossary ?? []);
  const expansions = [
    ...new Set([
      ...phrases.flatMap((p) => p.terms),
      ...wordTranslations,
      ...glossaryTerms,
      ...(options.rewrites ?? []),
    ]),
  ];
  const terms = [...new Set([...keywords, ...expansions.map((e) => e.toLowerCase())])];

  // concepts: skip words inside region names and dates (metadata checks those)
  const contextual = new Set<string>();
  for (const r of regionHits)
    for (const w of fold(q.slice(r.index, r.index + r.length)).split(/[\s-]+/)) contextual.add(w);
  for (const d of findDates(q)) for (const w of fold(d.text).split(/[\s.]+/)) contextual.add(w);
  const concepts: string[][] = [];
  const inPhrase = new Set(phrases.flatMap((p) => p.phrase.split(" ")));
  // a phrase of question words ("how many") says what kind of answer, not what about
  for (const p of phrases)
    if (!p.phrase.split(" ").every((w) => QUESTION_WORDS.has(w))) concepts.push([p.phrase, ...p.terms]);
  for (const k of keywords) {
    // "KKR"/"KL" are in nearly every passage; they only count when nothing else is asked
    const onlyWord = keywords.filter((w) => !contextual.has(fold(w))).length === 1;
    if (contextual.has(fold(k)) || inPhrase.has(k) || ((k === "kkr" || k === "kl") && !onlyWord)) continue;
    // "ifølge folderen", "i dagsordenen": which document, not what about (kinds boost instead)
    if (KIND_WORDS.some(([re]) => re.test(k))) continue;
    // "punkt 2.4": the item number is matched against chunk metadata, not as words
    if (item && (/^(punkt|pkt|item|dagsordenspunkt|sag)$/.test(k) || item.split(".").includes(k))) continue;
    const translated = translateWord(k);
    const group = [k, ...translated, ...[k, ...translated].flatMap((w) => SYNONYMS[w] ?? [])];
    for (const g of options.glossary ?? []) {
      if (g.acronym.toLowerCase() === k) group.push(g.expansion.toLowerCase());
    }
    concepts.push([...new Set(group)]);
  }
  for (const g of options.glossary ?? []) {
    if (fold(q).includes(fold(g.expansion)))
      concepts.push([g.expansion.toLowerCase(), g.acronym.toLowerCase()]);
  }
  let listCount: number | null = null;
  for (const w of lower.split(/\s+/)) {
    // "to" is two in Danish, a preposition in English
    if (language === "en" && w === "to") continue;
    const n = NUMBER_WORDS[w] ?? (/^\d$/.test(w) ? Number(w) : undefined);
    if (n !== undefined && n > 1 && n <= 12) {
      listCount = n;
      break;
    }
  }
  const definesRaw =
    // "hvad står DAS for i styringsaftalen?", "what does KDK stand for in Central Jutland?"
    /^(?:[Hh]vad\s+står|[Ww]hat\s+does)\s+([A-ZÆØÅ]{2,8})\s+(?:for|stand\s+for|mean)\b/.exec(q)?.[1] ??
    /^(?:hvad|what)\s+(?:er|is|are|betyder|means?|står)\s+(?:en |et |an? |the )?([^?]{2,60}?)(?:\s+for)?\s*\??$/i
      .exec(q)?.[1]
      ?.trim() ??
    /^what\s+does\s+([^?]{2,40}?)\s+(?:stand for|mean)\s*\??$/i.exec(q)?.[1]?.trim() ??
    null;
  // "hvad er DEB / Børnehus Syd": a short name; "hvad er næste skridt for …" is an open question
  const defines = definesRaw && definesRaw.split(/\s+/).length <= 3 ? definesRaw : null;
  let type = questionType(q);
  if (type === "what" && defines) type = "define";
  // "Hvad er Pernille Beckmann?" asks for a person's role, not a definition
  if (type === "define" && defines && /^[\p{Lu}][\p{Ll}]+(?:\s+[\p{Lu}][\p{Ll}]+)+$/u.test(defines))
    type = "role";
  // "Hvem er Jens Hansen?" / "Who is Jens Hansen?" also asks what the person is
  // (no "i" flag: it would make \p{Lu} match lower case too)
  if (
    type === "who" &&
    /^(?:[Hh]vem er|[Hh]vem var|[Ww]ho is|[Ww]ho was|[Ww]ho's)\s+[\p{Lu}][\p{Ll}]+(?:\s+[\p{Lu}][\p{L}-]+)+\s*\??$/u.test(
      q,
    )
  )
    type = "role";
  const known = defines
    ? (options.glossary ?? []).find((g) => g.acronym === defines.replace(/['’]s$/, ""))
    : undefined;
  const definition = known ? { acronym: known.acronym, expansion: known.expansion } : null;
  const nounAfter =
    /\b(?:hvilke|hvilken|hvilket|which|what)\s+(?:(?:to|tre|fire|fem|seks|syv|otte|ni|ti|\d+|two|three|four|five|six)\s+)?([\p{L}-]+)/iu
      .exec(q)?.[1]
      ?.toLowerCase() ?? null;
  const answerNoun = nounAfter && keywords.includes(nounAfter) ? nounAfter : null;
  if (type === "what" && listCount !== null) type = "list";
  const history = (options.history ?? []).map((h) => h.question).join(" ");
  const embedText = [q, ...expansions, history].join(" ").trim();
  const ftsTerms = [...terms, ...(history ? tokensOf(history) : [])];
  return {
    question: q,
    language,
    type,
    keywords,
    expansions,
    terms,
    concepts,
    regions,
    region: regions.length === 1 ? (regions[0] ?? null) : null,
    dates,
    kinds,
    entities: entitiesOf(q, regionSpans, options.glossary ?? []),
    listCount,
    item,
    defines,
    definition,
    answerNoun,
    embedText,
    ftsQuery: toFtsQuery(ftsTerms),
  };
}

function tokensOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    (w) => !STOP.has(w) && !QUESTION_WORDS.has(w),
  );
}

/**
 * Plain terms only: the full-text parser must never see quotes, parentheses, `:`, `*`,
 * `OR` or `-` from a user, so a question can't be a syntax error or a query injection.
 */
export function toFtsQuery(terms: string[]): string {
  const tokens = terms.flatMap((t) => t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  return [...new Set(tokens.filter((t) => t !== "or" && t !== "and" && t !== "not"))].join(" ");
}

/** Opens an elliptical follow-up: "og i Sjælland?", "and the vice-chair?", "hvad med …". */
const CONTINUATION = /^(og|and|men|but|hvad med|hvad så med|what about|how about|også|also|samme|same)\b/i;
/** Points back to the earlier subject: "hvornår var det?", "hvor er vedkommende ansat?". */
const BACK_REFERENCE =
  /(?<!\p{L})(det|den|dem|de|han|hun|ham|hende|vedkommende|deres|hans|hendes|dets|it|its|he|she|him|her|they|them|their|that|this|there|der)(?!\p{L})/iu;

/**
 * Is `next` an elliptical follow-up to the question before it? Only when it opens like one
 * ("og …", "and …", "hvad med …"), or has no subject of its own (no name, region, date and at
 * most one content word) and points back with a pronoun. A question with its own subject
 * ("Who chairs KKR Sjælland?") starts afresh, and so does a command ("/help").
 */
export function isFollowUp(next: QueryAnalysis): boolean {
  const q = next.question.trim();
  if (q.startsWith("/")) return false;
  if (CONTINUATION.test(q)) return true;
  const ownSubject =
    next.entities.length > 0 || next.regions.length > 0 || next.dates.length > 0 || next.item !== null;
  if (ownSubject || next.concepts.length > 1) return false;
  return next.concepts.length === 0 || BACK_REFERENCE.test(q);
}

/**
 * A thread follow-up ("og i Sjælland?", "og næstformanden?", "hvornår var det?") is read
 * together with the question before it: its own regions, dates, kinds and content words
 * replace the earlier ones; what it leaves out (the subject) is kept. A question that is not
 * a follow-up (isFollowUp) is returned as it is.
 */
export function mergeFollowUp(prev: QueryAnalysis, next: QueryAnalysis): QueryAnalysis {
  if (!isFollowUp(next)) return next;
  const regions = next.regions.length > 0 ? next.regions : prev.regions;
  const dates = next.dates.length > 0 ? next.dates : prev.dates;
  // "og næstformanden?" asks for the vice-chair instead of the chair: new content words replace
  // the old; "og i Syddanmark?" has none, so the earlier question's stay
  const concepts = next.concepts.length > 0 ? next.concepts : prev.concepts;
  const keywords =
    next.concepts.length > 0 ? next.keywords : [...new Set([...prev.keywords, ...next.keywords])];
  const regionWords = new Set(prev.regions.map(fold));
  const terms = [
    ...new Set([
      ...(next.concepts.length > 0 ? [] : prev.terms.filter((t) => !regionWords.has(fold(t)))),
      ...next.terms,
    ]),
  ];
  const entities = [
    ...prev.entities,
    ...next.entities.filter((e) => !prev.entities.some((p) => p[0] === e[0])),
  ];
  const subject = entities.flat().join(" ");
  return {
    ...prev,
    question: next.question,
    language: next.language,
    type: next.type === "what" ? prev.type : next.type,
    keywords,
    expansions: [...new Set([...(next.concepts.length > 0 ? [] : prev.expansions), ...next.expansions])],
    terms,
    concepts,
    regions,
    region: regions.length === 1 ? (regions[0] ?? null) : null,
    dates,
    kinds: next.kinds.length > 0 ? next.kinds : prev.kinds,
    entities,
    listCount: next.listCount ?? prev.listCount,
    answerNoun: next.answerNoun ?? (next.concepts.length > 0 ? null : prev.answerNoun),
    embedText: [next.question, ...regions, subject, ...concepts.flat()].join(" "),
    ftsQuery: toFtsQuery([...terms, ...regions, subject]),
  };
}
