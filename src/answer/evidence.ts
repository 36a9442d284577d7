import type { QueryAnalysis } from "../retrieval/query.js";
import { type DateMatch, findDates } from "../text/dates.js";
import { fold } from "../text/fold.js";
import municipalities from "../text/municipalities.json" with { type: "json" };
import { detectRegions } from "../text/regions.js";
import {
  type AnswerModel,
  DEFAULT_MODEL,
  FEATURES,
  type FeatureName,
  type FeatureVector,
  rankScore,
} from "./answer-model.js";
import { typeFit } from "./answer-shape.js";
import { locate } from "./citations.js";
import { askedBodyWords, askedRole, mentionsRole, otherBody } from "./roles.js";
import { indexText, matchEntity, matchTerm, stem, type TokenIndex, tokenStems } from "./term-match.js";
import type { Passage } from "./types.js";
import { isHeading, isTableRow, type Unit, unitsOf } from "./units.js";

/**
 * Scores the sentences, lines and lists of the retrieved passages for how well they answer
 * the question. Shared by the extractive answerer and the outline answer.
 */
export { indexText, matchTerm } from "./term-match.js";
export type { Unit } from "./units.js";

export interface ScoredUnit extends Unit {
  score: number;
  coverage: number;
  typeFit: number;
  context: number;
  features: FeatureVector;
  /** Why the unit can't answer: names a region other than the one asked, lacks an entity… */
  veto: string | null;
}

/**
 * Phrase overlap: pairs of consecutive question words ("være endeligt godkendt") that
 * stand next to each other in the unit too. Function words count here: they carry the
 * phrasing that separates "skal være godkendt" from "har godkendt".
 */
function proximity(a: QueryAnalysis, idx: TokenIndex): number {
  let words = questionWords.get(a);
  if (!words) {
    words = (fold(a.question).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !QUESTION_WORDS_FOLDED.has(w));
    questionWords.set(a, words);
  }
  if (words.length < 2) return 0;
  const stems = tokenStems(idx);
  const same = (x: string, u: string) =>
    u === x || (x.length >= 4 && u.startsWith(x)) || (u.length >= 4 && x.startsWith(u));
  let near = 0;
  for (let i = 0; i + 1 < words.length; i++) {
    const x = stem(words[i]!);
    const y = stem(words[i + 1]!);
    for (let t = 0; t + 1 < stems.length; t++) {
      if (!same(x, stems[t]!)) continue;
      if (same(y, stems[t + 1]!) || (t + 2 < stems.length && same(y, stems[t + 2]!))) {
        near++;
        break;
      }
    }
  }
  return near / (words.length - 1);
}

/** The question's words for `proximity`, once per question (not per unit). */
const questionWords = new WeakMap<QueryAnalysis, string[]>();

const QUESTION_WORDS_FOLDED = new Set(
  "hvem hvad hvor hvornar hvilke hvilken hvilket hvordan hvorfor who what when where which why how is are was were do does did the a an of in on i pa".split(
    " ",
  ),
);

/** "…": the municipality a question names, when it names one ("Hvor mange … Aarhus Kommune"). */
function askedMunicipalities(question: string): string[] {
  const words = new Set(fold(question).match(/[\p{L}-]+/gu) ?? []);
  return MUNICIPALITIES.filter((m) => words.has(m));
}
const MUNICIPALITIES = (municipalities as string[]).map(fold);

/** "nu", "i dag", "current": the newest document is the one that answers. */
const NOW = /\b(nu|nuværende|i dag|for tiden|aktuelle?|currently|current|now|today|present)\b/i;

/**
 * The lines just above a short line or item, back to a blank line (at most three lines, 250
 * characters): the label or row a value belongs to ("Sted:" above "Rådhuset", a municipality
 * above its figure, a calendar heading above a date).
 */
function leadOf(u: Unit): string | null {
  if ((u.kind !== "line" && u.kind !== "item") || u.text.length > 160) return null;
  const table = tableHead(u);
  if (table) return table;
  const before = u.passage.chunk.text.slice(Math.max(0, u.start - 250), u.start);
  const lines = before.split("\n");
  lines.pop(); // the part of the unit's own line before it
  const out: string[] = [];
  for (let k = lines.length - 1; k >= 0 && out.length < 3; k--) {
    const l = lines[k]!.trim();
    if (l === "") {
      if (out.length > 0) break;
      continue;
    }
    out.unshift(l);
  }
  return out.length > 0 ? out.join("\n") : null;
}

/** Adjectives that qualify a body's name without naming it (Snowball stems and plain forms). */
const ADJECTIVE =
  /^(national|nationale|regional|regionale|politisk|politiske|faelles|kommunal|kommunale|ny|nye|nyt|administrativ|administrative|tvaerkommunal|tvaerkommunale|central|centrale|lokal|lokale)$/;

/**
 * A table row's header row and the caption above the table ("Tabel 1. Antal elever i
 * praktik" / "Kommune | 2023 | 2024"): what the row's figures are, and for which years.
 */
function tableHead(u: Unit): string | null {
  if (!isTableRow(u.text)) return null;
  const lines = u.passage.chunk.text.slice(0, u.start).split("\n");
  lines.pop();
  let k = lines.length - 1;
  while (k >= 0 && (isTableRow(lines[k]!) || lines[k]!.trim() === "")) k--;
  const header = lines.slice(k + 1).find((l) => isTableRow(l));
  const caption = k >= 0 ? lines[k]!.trim() : "";
  const out = [caption, header ?? ""].filter((l) => l !== "" && l !== u.text);
  return out.length > 0 ? out.join("\n") : null;
}

/**
 * An entity's words without articles and generic words ("Det Tværkommunale Klimanetværk" →
 * "Tværkommunale Klimanetværk", "Danmarks Erhvervsfremmebestyrelse" → "Erhvervsfremmebestyrelse"):
 * documents write "netværket", "den nationale erhvervsfremmebestyrelse".
 */
function distinctive(alternatives: string[]): string[] {
  return alternatives.map((alt) => {
    const words = alt.split(/\s+/);
    const kept = words.filter((w) => !GENERIC.test(w));
    return (kept.length > 0 ? kept : words).join(" ");
  });
}
// "Aalborg Municipality", "Aalborg Kommune": documents write the town's name alone in tables
const GENERIC =
  /^(det|den|de|the|danmarks|danske|dansk|denmark|danish|nationale|national|kkr|kl|kommune|kommunes|municipality|municipality's)$/i;

/** "Hvor mange flygtninge …" / "How many members …": the noun counted, with its translations. */
function countedNoun(a: QueryAnalysis): string[] | null {
  if (a.type !== "howmany") return null;
  const noun =
    /\b(?:hvor mange|how many|antal(?:let)? af|number of)\s+(?:af\s+|of\s+)?(?:de\s+|the\s+)?(?:(?:nye|new|flere|more|additional|ekstra|ledige|vacant|forskellige|different|samlede|total)\s+)?([\p{L}-]{3,})/iu.exec(
      a.question,
    )?.[1];
  // "hvor mange penge": an amount in kroner answers it without the word "penge"
  // "how many people": documents count borgere, elever, ansatte … — any noun of people
  if (!noun || /^(penge|beløb|kroner|money|funds|amount|people|persons|personer|mennesker)$/i.test(noun))
    return null;
  const group = a.concepts.find((g) => g.includes(noun.toLowerCase()));
  return group ?? null;
}

interface Prepared {
  units: Unit[];
  unitIdx: TokenIndex[];
  ownIdx: TokenIndex[];
  leadIdx: (TokenIndex | null)[];
  chunkIdx: Map<string, TokenIndex>;
  docIdx: Map<string, TokenIndex>;
  headIdx: Map<string, TokenIndex>;
  weights: number[];
  totalWeight: number;
  absentShare: number;
  roleOf: { role: string; of: string } | null;
  counted: string[] | null;
  /** distinctive words of the body whose office is asked about, other than KKR and regions */
  bodyWords: string[];
  places: string[];
  maxPassageScore: number;
  newest: string;
  /** distinct document months among the passages, oldest first */
  dates: string[];
}

/** 1 for the newest document among those retrieved, 0 for the oldest, 0.5 undated or alone. */
function recencyOf(date: string | null, dates: string[]): number {
  if (!date || dates.length < 2) return 0.5;
  const i = dates.indexOf(date.slice(0, 7));
  return i < 0 ? 0.5 : i / (dates.length - 1);
}

function prepare(passages: Passage[], a: QueryAnalysis): Prepared {
  const units = passages.flatMap(unitsOf);
  const chunkIdx = new Map(
    passages.map((p) => [p.chunk.id, indexText(`${p.chunk.title}\n${p.chunk.section}\n${p.chunk.text}`)]),
  );
  // what the passage is about: its document title and section path
  const headIdx = new Map(
    passages.map((p) => [p.chunk.id, indexText(`${p.chunk.title}\n${p.chunk.section}`)]),
  );
  const docText = new Map<string, string>();
  for (const p of passages)
    docText.set(
      p.chunk.docId,
      `${docText.get(p.chunk.docId) ?? ""}\n${p.chunk.title}\n${p.chunk.section}\n${p.chunk.text}`,
    );
  const docIdx = new Map([...docText].map(([id, t]) => [id, indexText(t)]));
  // a list is read with the lines just before it, and a short line or item (a value under a
  // label, a calendar entry, a table cell) with the lines of its block above it: they say
  // what it is
  const unitIdx = units.map((u) => {
    if (u.kind === "list") return indexText(u.passage.chunk.text.slice(Math.max(0, u.start - 300), u.end));
    const lead = leadOf(u);
    return indexText(lead ? `${lead}\n${u.text}` : u.text);
  });
  const ownIdx = units.map((u) => indexText(u.text));
  const leadIdx = units.map((u) => {
    const lead = leadOf(u);
    return lead ? indexText(lead) : null;
  });
  // concept weights: rarer across the candidate units means more telling (idf); names
  // and acronyms the question insists on count extra
  const weights = a.concepts.map((group) => {
    const df = unitIdx.filter((idx) => group.some((t) => matchTerm(t, idx) > 0)).length;
    const isEntity = group.some((t) => a.entities.some((e) => e.some((alt) => fold(alt).includes(fold(t)))));
    // the noun after "hvilke/which" names the kind of answer; the evidence may only give instances
    const soft = a.answerNoun !== null && group[0] === a.answerNoun;
    return Math.log(1 + units.length / (1 + df)) * (isEntity ? 1.5 : 1) * (soft ? 0.4 : 1);
  });
  const chunkIndexes = [...chunkIdx.values()];
  const absent = a.concepts.filter(
    (g) => g[0] !== a.answerNoun && !chunkIndexes.some((idx) => g.some((t) => matchTerm(t, idx) > 0)),
  ).length;
  return {
    units,
    unitIdx,
    ownIdx,
    leadIdx,
    chunkIdx,
    docIdx,
    headIdx,
    weights,
    totalWeight: weights.reduce((x, y) => x + y, 0),
    absentShare: a.concepts.length > 0 ? absent / a.concepts.length : 0,
    roleOf: askedRole(a.question),
    counted: countedNoun(a),
    bodyWords: askedBodyWords(a),
    places: askedMunicipalities(a.question),
    maxPassageScore: Math.max(1e-9, ...passages.map((p) => p.score)),
    // ISO dates compare as strings
    newest:
      passages
        .map((p) => p.chunk.date ?? "")
        .sort()
        .pop() ?? "",
    dates: [
      ...new Set(passages.map((p) => p.chunk.date?.slice(0, 7)).filter((d): d is string => !!d)),
    ].sort(),
  };
}

interface Coverage {
  weighted: number;
  plain: number;
  contextOnly: number;
  /** the question's most telling concept (highest weight) is nowhere near the unit */
  topMissing: number;
}

function coverageOf(a: QueryAnalysis, p: Prepared, u: Unit, idx: TokenIndex): Coverage {
  const c = u.passage.chunk;
  if (a.concepts.length === 0) {
    const itemOnly = a.item !== null && locate(c, u.start).item === a.item;
    return { weighted: itemOnly ? 1 : 0.5, plain: itemOnly ? 1 : 0.5, contextOnly: 0, topMissing: 0 };
  }
  const cidx = p.chunkIdx.get(c.id)!;
  const hidx = p.headIdx.get(c.id)!;
  let covered = 0;
  let inUnitCount = 0;
  let contextWeight = 0;
  let topMissing = 0;
  const top = p.weights.indexOf(Math.max(...p.weights));
  a.concepts.forEach((group, g) => {
    const inUnit = Math.max(0, ...group.map((t) => matchTerm(t, idx)));
    // a concept only the surrounding chunk mentions counts less (its heading more than an earlier line)
    const m =
      inUnit > 0
        ? inUnit
        : Math.max(
            Math.max(0, ...group.map((t) => matchTerm(t, hidx))) * 0.7,
            Math.max(0, ...group.map((t) => matchTerm(t, cidx))) * 0.4,
          );
    covered += (p.weights[g] ?? 0) * m;
    inUnitCount += inUnit > 0 ? 1 : 0;
    if (inUnit === 0 && m > 0) contextWeight += 1;
    if (g === top && inUnit === 0 && Math.max(0, ...group.map((t) => matchTerm(t, hidx))) === 0)
      topMissing = 1;
  });
  return {
    weighted: p.totalWeight > 0 ? covered / p.totalWeight : 0,
    plain: inUnitCount / a.concepts.length,
    contextOnly: contextWeight / a.concepts.length,
    topMissing,
  };
}

/** A page's own publication line or byline ("Opdateret 9. december 2025", "Tekst af …"). */
const BYLINE =
  /^(?:sidst\s+)?(?:opdateret|publiceret|udgivet|senest\s+ændret|last\s+updated|published)\b|(?:^|·\s*)(?:tekst|foto|af|by)\s+[\p{Lu}][\p{L}-]+\s+[\p{Lu}]|,\s*(?:journalist|redaktør|kommunikationskonsulent)\s*$/iu;

/** Why a unit cannot answer, whatever its score: another region, period, body or office. */
function vetoOf(a: QueryAnalysis, p: Prepared, u: Unit, i: number, fit: number): string | null {
  const c = u.passage.chunk;
  if (u.text.length < 160 && BYLINE.test(u.text.trim())) return "the page's own date or byline";
  if (a.region) {
    const mentions: string[] = detectRegions(u.text).map((r) => r.region);
    if (c.region !== a.region && !mentions.includes(a.region)) {
      if (c.region && c.region !== "all") return `from KKR ${c.region}, not ${a.region}`;
      return `does not mention ${a.region}`;
    }
  }
  if (a.dates.length > 0) {
    const d = c.date ?? "";
    const { hit, inText, year } = dateFit(a, u);
    // "… i 2019?" answered from a 2020 document that never mentions 2019 would be another period's facts
    if (!hit && !inText && !year && d !== "") return `dated ${d}, not ${a.dates.map((x) => x.iso).join("/")}`;
    const other = otherDate(a, u);
    if (other) return other;
  }
  // the names the question insists on must be in the passage (its text, section or title)
  const cidx = p.chunkIdx.get(c.id)!;
  const missing = a.entities.find((e) => !matchEntity(distinctive(e), cidx));
  if (missing) return `does not mention ${missing[0]}`;
  // The unit itself must mention something the question asks about, not only its heading
  const says = (idx: TokenIndex) =>
    a.concepts.some((g) => g.some((t) => matchTerm(t, idx) > 0)) ||
    a.entities.some((e) => matchEntity(e, idx));
  // a short value line may lean on its label or block above it, and on its heading (leaning
  // every unit on the sentence before it or on its heading was tried: more units reached
  // the ranker, fewer were answered right out of fold)
  const lead = p.leadIdx[i];
  const mentionsAny =
    says(p.ownIdx[i]!) || (lead !== null && lead !== undefined && (says(lead) || says(p.headIdx.get(c.id)!)));
  // (a calendar entry on the day or month asked about says it by its date: "Fredag 28. marts
  // 2025 kl. 9.30" answers "hvornår mødes … i marts 2025?")
  const onAskedDate = fit > 0 && a.dates.some((x) => x.precision !== "year") && dateFit(a, u).inUnit;
  if ((a.concepts.length > 0 || a.entities.length > 0) && !mentionsAny && !onAskedDate)
    return "says nothing the question asks about";
  // a municipality's figure is not its region's total, nor another municipality's
  if (p.places.length > 0 && (a.type === "howmany" || a.type === "who")) {
    const here = fold(`${leadOf(u) ?? ""}\n${u.text}`);
    if (!p.places.some((m) => new RegExp(`(^|[^\\p{L}])${m}([^\\p{L}]|$)`, "u").test(here)))
      return `does not name ${p.places.join("/")}`;
  }
  if (p.roleOf && otherBody(u.text, p.roleOf, `${locate(c, u.start).section}\n${leadOf(u) ?? ""}`))
    return `names the ${p.roleOf.role} of another body`;
  // "formand for bestyrelsen for Erhvervshus X": the unit (or its label, heading) names that body
  if (p.roleOf && p.bodyWords.length > 0) {
    // a list names it in its intro line; an item further down is about something else
    const own = u.kind === "list" ? (u.text.split("\n")[0] ?? "") : u.text;
    const near = indexText(`${leadOf(u) ?? ""}\n${c.title}\n${c.section}\n${own}`);
    // a body of two words needs both ("Sundhedsrådet for Lillebælt" is not any Sundhedsråd)
    // (adjectives such as "nationale", "politiske" may be left out: "Danmarks
    // Erhvervsfremmebestyrelse" is "den nationale erhvervsfremmebestyrelse")
    const nouns = p.bodyWords.filter((w) => !ADJECTIVE.test(w));
    const named = p.bodyWords.filter((w) => matchTerm(w, near) > 0).length;
    const nounsNamed = nouns.filter((w) => matchTerm(w, near) > 0).length;
    if (named === 0 || (nouns.length === 2 && nounsNamed < 2)) return `does not name ${p.roleOf.of}`;
  }
  // "Hvor mange flygtninge …": the counted noun must be what the unit (or its label) counts
  if (
    p.counted &&
    !p.counted.some(
      (t) =>
        matchTerm(t, p.unitIdx[i]!) > 0 ||
        matchTerm(t, p.headIdx.get(c.id)!) > 0 ||
        (isTableRow(u.text) && p.leadIdx[i] != null && matchTerm(t, p.leadIdx[i]!) > 0),
    )
  )
    return `does not count ${p.counted[0]}`;
  // "Hvem er formand for X?": a unit naming X's appointee but no chair does not answer it
  if (p.roleOf && !mentionsRole(u.text, p.roleOf.role)) return `does not mention a ${p.roleOf.role}`;
  // no name for "who", no date for "when", no number for "how many": not this kind of answer
  if (fit === 0 && (a.type === "who" || a.type === "when" || a.type === "howmany" || a.type === "where"))
    return `no ${a.type} in it`;
  return null;
}

/**
 * A unit about another time than the one asked: it names dates of the asked year but none in
 * the asked month or day ("møde i november 2024" answered by "mødet den 17. april 2024"), or
 * comes from a document of another year and names neither the asked year nor any date.
 */
function otherDate(a: QueryAnalysis, u: Unit): string | null {
  const c = u.passage.chunk;
  const docYear = Number(c.date?.slice(0, 4)) || undefined;
  const text = `${leadOf(u) ?? ""}\n${u.text}`;
  const found = findDates(text, { bareYears: true, ...(docYear ? { defaultYear: docYear } : {}) });
  const precise = a.dates.filter((x) => x.precision !== "year");
  if (precise.length > 0) {
    const days = found.filter((f) => f.precision !== "year");
    const sameYear = days.filter((f) => precise.some((x) => f.iso.slice(0, 4) === x.iso.slice(0, 4)));
    if (
      sameYear.length > 0 &&
      !sameYear.some((f) => precise.some((x) => f.iso.startsWith(x.iso) || x.iso.startsWith(f.iso)))
    )
      return `about ${sameYear[0]!.text}, not ${precise.map((x) => x.iso).join("/")}`;
  }
  const years = a.dates.map((x) => x.iso.slice(0, 4));
  const asked = (f: { iso: string }) => years.includes(f.iso.slice(0, 4));
  if (docYear && !years.includes(String(docYear)) && !found.some(asked))
    return `from ${docYear}, not ${years.join("/")}`;
  // an undated document whose title, section and unit name other years only
  if (!docYear && !found.some(asked)) {
    const around = findDates(`${c.title}\n${c.section}`, { bareYears: true });
    if ([...around, ...found].length > 0 && ![...around, ...found].some(asked))
      return `about ${[...around, ...found][0]!.text}, not ${years.join("/")}`;
  }
  return null;
}

/** The dates of a chunk's section and text, once per chunk (dateFit reads them for each unit). */
const chunkDates = new WeakMap<Passage["chunk"], DateMatch[]>();
function datesOfChunk(c: Passage["chunk"]): DateMatch[] {
  let found = chunkDates.get(c);
  if (!found) {
    found = findDates(`${c.section}\n${c.text}`, { bareYears: true });
    chunkDates.set(c, found);
  }
  return found;
}

function dateFit(
  a: QueryAnalysis,
  u: Unit,
): { hit: boolean; inText: boolean; year: boolean; inUnit: boolean } {
  const c = u.passage.chunk;
  const d = c.date ?? "";
  const hit = a.dates.some(
    (x) => d.startsWith(x.iso) || (x.precision !== "day" && d.startsWith(x.iso.slice(0, 7))),
  );
  const year = a.dates.some((x) => d.slice(0, 4) === x.iso.slice(0, 4));
  const inText = datesOfChunk(c).some((fd) => a.dates.some((x) => fd.iso.startsWith(x.iso)));
  const inUnit = findDates(u.text, { bareYears: true }).some((fd) =>
    a.dates.some((x) => fd.iso.startsWith(x.iso)),
  );
  return { hit, inText, year, inUnit };
}

const TYPE_FEATURE: Record<QueryAnalysis["type"], FeatureName> = {
  who: "fit_who",
  when: "fit_when",
  where: "fit_where",
  howmany: "fit_howmany",
  list: "fit_list",
  role: "fit_role",
  define: "fit_define",
  what: "fit_what",
};
const F = Object.fromEntries(FEATURES.map((f, i) => [f, i])) as Record<FeatureName, number>;

/**
 * Scores the sentences, lines and lists of the retrieved passages with the fitted ranker
 * (higher: more likely the unit that answers the question), plus a veto when it cannot
 * answer whatever its score.
 */
export function scoreUnits(
  passages: Passage[],
  a: QueryAnalysis,
  model: AnswerModel = DEFAULT_MODEL,
): ScoredUnit[] {
  // the features don't depend on the model: the fitting script scores the same question under
  // many models, so they are computed once per (passages, analysis)
  const cached = featureCache.get(passages);
  const units = cached?.analysis === a ? cached.units : unitFeatures(passages, a);
  if (cached?.analysis !== a) featureCache.set(passages, { analysis: a, units });
  return units.map((u) => ({ ...u, score: rankScore(model, u.features) }));
}

const featureCache = new WeakMap<Passage[], { analysis: QueryAnalysis; units: ScoredUnit[] }>();

function unitFeatures(passages: Passage[], a: QueryAnalysis): ScoredUnit[] {
  const p = prepare(passages, a);
  if (p.units.length === 0) return [];
  const covs = p.units.map((u, i) => coverageOf(a, p, u, p.unitIdx[i]!));
  const bestCov = Math.max(...covs.map((c) => c.weighted));
  const current = NOW.test(a.question);
  return p.units.map((u, i) => {
    const c = u.passage.chunk;
    const cov = covs[i]!;
    const fit = typeFit(u, a);
    const x = new Float64Array(FEATURES.length);
    x[F.bias] = 1;
    x[F.cov_weighted] = cov.weighted;
    x[F.cov_plain] = cov.plain;
    x[F.cov_context_only] = cov.contextOnly;
    x[F.cov_gap] = cov.weighted - bestCov;
    x[F.top_concept_missing] = cov.topMissing;
    const own = p.ownIdx[i]!;
    x[F.entities_in_unit] = a.entities.length
      ? a.entities.filter((e) => matchEntity(e, own)).length / a.entities.length
      : 1;
    x[F[TYPE_FEATURE[a.type]]] = fit;
    x[F.fit_full] = fit >= 1 && ["who", "when", "where", "howmany"].includes(a.type) ? 1 : 0;
    x[F.phrase_overlap] = proximity(a, p.unitIdx[i]!);
    x[F.rank_inverse] = 1 / u.passage.n;
    x[F.retrieval_relative] = u.passage.score / p.maxPassageScore;
    x[F.length_log] = Math.log1p(u.text.length) / 7;
    x[F.is_long] = u.text.length > 400 ? 1 : 0;
    x[F.is_heading] = isHeading(u) && !(a.item && a.concepts.length === 0) ? 1 : 0;
    x[F.is_list] = u.kind === "list" ? 1 : 0;
    x[F.is_item] = u.kind === "item" ? 1 : 0;
    x[F.is_line] = u.kind === "line" ? 1 : 0;
    if (a.region) x[F.region_match] = c.region === a.region ? 1 : 0.5;
    if (a.dates.length > 0) {
      const d = dateFit(a, u);
      x[F.date_asked] = 1;
      x[F.date_match] = d.hit ? 1 : d.inText ? 0.6 : d.year ? 0.3 : 0;
      x[F.date_in_unit] = d.inUnit ? 1 : 0;
    } else {
      // no period asked: newer documents speak for today ("Hvem er formand…?"), the more so
      // when the question says "nu / current"
      x[F.recency] = recencyOf(c.date, p.dates);
      if (current) x[F.date_match] = c.date && c.date === p.newest ? 1 : 0;
    }
    x[F.concepts_absent] = p.absentShare;
    if (a.item) {
      const at = locate(c, u.start);
      x[F.item_match] = at.item === a.item ? 1 : at.item?.startsWith(`${a.item}.`) ? 0.6 : 0;
    }
    x[F.concept_count] = Math.min(a.concepts.length, 6) / 6;
    return {
      ...u,
      score: 0,
      coverage: cov.weighted,
      typeFit: fit,
      context: 1,
      features: x,
      veto: vetoOf(a, p, u, i, fit),
    };
  });
}
