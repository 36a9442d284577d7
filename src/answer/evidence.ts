import type { QueryAnalysis } from "../retrieval/query.js";
import { findDates } from "../text/dates.js";
import { fold } from "../text/fold.js";
import { detectRegions } from "../text/regions.js";
import { typeFit } from "./answer-shape.js";
import { locate } from "./citations.js";
import { indexText, matchEntity, matchTerm, stem, type TokenIndex } from "./term-match.js";
import type { Passage } from "./types.js";
import { isHeading, type Unit, unitsOf } from "./units.js";

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
  /** Why the unit can't answer: names a region other than the one asked, lacks an entity… */
  veto: string | null;
}

/**
 * Phrase overlap: pairs of consecutive question words ("være endeligt godkendt") that
 * stand next to each other in the unit too. Function words count here: they carry the
 * phrasing that separates "skal være godkendt" from "har godkendt".
 */
function proximity(a: QueryAnalysis, idx: TokenIndex): number {
  const words = (fold(a.question).match(/[\p{L}\p{N}]+/gu) ?? []).filter(
    (w) => !QUESTION_WORDS_FOLDED.has(w),
  );
  if (words.length < 2) return 0;
  const stems = idx.tokens.map(stem);
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

const QUESTION_WORDS_FOLDED = new Set(
  "hvem hvad hvor hvornar hvilke hvilken hvilket hvordan hvorfor who what when where which why how is are was were do does did the a an of in on i pa".split(
    " ",
  ),
);

const ROLE_WORDS =
  "formand|formanden|næstformand|næstformanden|direktør|direktøren|borgmester|leder|lederen|chair|chairman|chairwoman|vice chair|deputy chair|mayor|director|head";

/** "formand for KKR Syddanmark" → { role: "formand", of: "kkr syddanmark" } */
function askedRole(question: string): { role: string; of: string } | null {
  const m = new RegExp(
    `\\b(${ROLE_WORDS})\\s+(?:for|i|af|of|in|at)\\s+((?:the\\s+)?[\\p{L}\\d-]+(?:\\s+[\\p{Lu}\\d][\\p{L}\\d-]*)*)`,
    "iu",
  ).exec(question);
  if (!m?.[1] || !m[2]) return null;
  return { role: fold(m[1]).replace(/en$/, ""), of: fold(m[2].replace(/^the\s+/i, "")) };
}

const ROLE_DA: Record<string, string> = {
  chair: "formand",
  chairman: "formand",
  chairwoman: "formand",
  "vice chair": "naestformand",
  "deputy chair": "naestformand",
  mayor: "borgmester",
  director: "direktor",
  head: "leder",
};

/** The role asked about, in any inflection ("formand", "formanden"), not "næstformand" for "formand". */
function mentionsRole(text: string, role: string): boolean {
  const da = ROLE_DA[role] ?? role;
  return (fold(text).match(/[\p{L}]+/gu) ?? []).some((w) => w.startsWith(da) || w === role);
}

/**
 * "Formand for Socialdirektørforum, Lise Willer" does not answer "Hvem er formand for KKR
 * Syddanmark?": the unit names the same role of a different body.
 */
function otherBody(text: string, asked: { role: string; of: string }): boolean {
  const re = new RegExp(
    `\\b(${ROLE_WORDS})\\s+(?:for|i|af|of|in|at)\\s+((?:the\\s+)?[\\p{Lu}][\\p{L}\\d-]*(?:\\s+[\\p{Lu}\\d][\\p{L}\\d-]*)*)`,
    "giu",
  );
  let sameRole = false;
  for (const m of text.matchAll(re)) {
    if (fold(m[1] ?? "").replace(/en$/, "") !== asked.role) continue;
    sameRole = true;
    const body = fold(m[2] ?? "");
    if (body.includes(asked.of) || asked.of.includes(body)) return false;
  }
  return sameRole;
}

export function scoreUnits(passages: Passage[], a: QueryAnalysis): ScoredUnit[] {
  const units = passages.flatMap(unitsOf);
  if (units.length === 0) return [];
  const chunkIdx = new Map(
    passages.map((p) => [p.chunk.id, indexText(`${p.chunk.title}\n${p.chunk.section}\n${p.chunk.text}`)]),
  );
  const headIdx = new Map(passages.map((p) => [p.chunk.id, indexText(p.chunk.section)]));
  // a list is read with the lines just before it: they say what it lists
  const unitIdx = units.map((u) =>
    indexText(u.kind === "list" ? u.passage.chunk.text.slice(Math.max(0, u.start - 300), u.end) : u.text),
  );

  // concept weights: rarer across the candidate units means more telling (idf); names
  // and acronyms the question insists on count extra
  const weights = a.concepts.map((group) => {
    const df = unitIdx.filter((idx) => group.some((t) => matchTerm(t, idx) > 0)).length;
    const isEntity = group.some((t) => a.entities.some((e) => e.some((alt) => fold(alt).includes(fold(t)))));
    // the noun after "hvilke/which" names the kind of answer; the evidence may only give instances
    const soft = a.answerNoun !== null && group[0] === a.answerNoun;
    return Math.log(1 + units.length / (1 + df)) * (isEntity ? 1.5 : 1) * (soft ? 0.4 : 1);
  });
  const totalWeight = weights.reduce((x, y) => x + y, 0);
  const ownIdx = units.map((u, i) => (u.kind === "list" ? indexText(u.text) : unitIdx[i]!));
  // A question word that no retrieved passage mentions at all ("kommuneskatten") means the
  // documents likely don't cover the topic: everything counts for less.
  const chunkIndexes = [...chunkIdx.values()];
  const absent = a.concepts.filter(
    (g) => g[0] !== a.answerNoun && !chunkIndexes.some((idx) => g.some((t) => matchTerm(t, idx) > 0)),
  ).length;
  const absentFactor = a.concepts.length > 0 ? 1 - 0.5 * (absent / a.concepts.length) : 1;
  const entityOk = new Map<string, string | null>();
  const roleOf = askedRole(a.question);

  return units.map((u, i) => {
    const idx = unitIdx[i]!;
    const c = u.passage.chunk;
    const cidx = chunkIdx.get(c.id)!;
    let covered = 0;
    let coveredCount = 0;
    a.concepts.forEach((group, g) => {
      const inUnit = Math.max(0, ...group.map((t) => matchTerm(t, idx)));
      // a concept only the surrounding chunk (its heading, earlier lines) mentions counts less
      // (its heading says what the passage is about: that counts more than an earlier line)
      const hidx = headIdx.get(c.id)!;
      const m =
        inUnit > 0
          ? inUnit
          : Math.max(
              Math.max(0, ...group.map((t) => matchTerm(t, hidx))) * 0.7,
              Math.max(0, ...group.map((t) => matchTerm(t, cidx))) * 0.4,
            );
      covered += (weights[g] ?? 0) * m;
      coveredCount += m;
    });
    // weighted by rarity, but every question word matters a little on its own
    const itemOnly = a.concepts.length === 0 && a.item !== null;
    const coverage = itemOnly
      ? locate(c, u.start).item === a.item
        ? 1
        : 0
      : absentFactor *
        (a.concepts.length > 0
          ? 0.7 * (totalWeight > 0 ? covered / totalWeight : 0) + 0.3 * (coveredCount / a.concepts.length)
          : 0.5);
    const fit = typeFit(u, a);

    // context: does the chunk's metadata fit the question's region and dates?
    let context = 1;
    let veto: string | null = null;
    if (a.region) {
      const mentions: string[] = detectRegions(u.text).map((r) => r.region);
      const otherRegionInUnit = mentions.length > 0 && !mentions.includes(a.region);
      if (c.region === a.region && !otherRegionInUnit) context *= mentions.includes(a.region) ? 1.2 : 1.15;
      else if (mentions.includes(a.region)) context *= 1.0;
      else if (c.region && c.region !== "all") veto = `from KKR ${c.region}, not ${a.region}`;
      else veto = `does not mention ${a.region}`;
    }
    if (a.dates.length > 0) {
      const d = c.date ?? "";
      const hit = a.dates.some(
        (x) => d.startsWith(x.iso) || (x.precision !== "day" && d.startsWith(x.iso.slice(0, 7))),
      );
      const year = a.dates.some((x) => d.slice(0, 4) === x.iso.slice(0, 4));
      const inText = findDates(`${c.section}\n${c.text}`, { bareYears: true }).some((fd) =>
        a.dates.some((x) => fd.iso.startsWith(x.iso)),
      );
      context *= hit ? 1.2 : inText ? 1.1 : year ? 1.0 : 0.75;
      // the unit itself names the asked date ("I 2020 har tre af …")
      if (
        findDates(u.text, { bareYears: true }).some((fd) => a.dates.some((x) => fd.iso.startsWith(x.iso)))
      ) {
        context *= 1.1;
      }
      // "… i 2019?" answered from a 2020 document that never mentions 2019 would be
      // another period's facts
      if (!hit && !inText && !year && d !== "")
        veto = `dated ${d}, not ${a.dates.map((x) => x.iso).join("/")}`;
    }
    if (a.item) {
      const at = locate(c, u.start);
      context *= at.item === a.item ? 1.6 : at.item?.startsWith(`${a.item}.`) ? 1.3 : 0.6;
    }
    if (!entityOk.has(c.id)) {
      const missing = a.entities.find((e) => !matchEntity(e, cidx));
      entityOk.set(c.id, missing ? `does not mention ${missing[0]}` : null);
    }
    veto ??= entityOk.get(c.id) ?? null;

    // The unit itself must mention something the question asks about, not only its heading
    // or the lines around it: "Kontaktpersoner: …" next to "Greater Copenhagen" is no answer
    // to "who is the mayor of Copenhagen?".
    const own = ownIdx[i]!;
    const mentionsAny =
      a.concepts.some((g) => g.some((t) => matchTerm(t, own) > 0)) ||
      a.entities.some((e) => matchEntity(e, own));
    if ((a.concepts.length > 0 || a.entities.length > 0) && !mentionsAny) {
      veto ??= "says nothing the question asks about";
    }
    if (roleOf && otherBody(u.text, roleOf)) veto ??= `names the ${roleOf.role} of another body`;
    // "Hvem er formand for Praksisplanudvalget?": a unit naming the body's KKR appointee but
    // no chair does not answer it
    if (roleOf && !mentionsRole(u.text, roleOf.role)) veto ??= `does not mention a ${roleOf.role}`;
    const prior = 1 / (1 + 0.12 * (u.passage.n - 1));
    // a list item or short line is a precise answer; a very long sentence less so;
    // headings and tables of contents name a topic, they don't answer
    let focus = u.text.length > 400 ? 0.85 : 1;
    // a heading answers only "what is item 2.4 about?", where the item itself is the topic
    if (isHeading(u) && !(a.item && a.concepts.length === 0)) focus *= 0.6;
    const near = proximity(a, idx);
    const typeWeight = a.type === "what" ? 0.1 : a.type === "list" || a.type === "define" ? 0.25 : 0.35;
    const score =
      ((0.9 - typeWeight) * coverage + typeWeight * fit + 0.1 * prior + 0.15 * near) * context * focus;
    return { ...u, score, coverage, typeFit: fit, context, veto };
  });
}
