import { analyzeQuery, fold, type QueryAnalysis } from "../retrieval/query.js";
import type { Citation, Language } from "../types.js";
import { type AnswerModel, DEFAULT_MODEL, decisionConfidence, decisionFeatures } from "./answer-model.js";
import { citationFor, locate } from "./citations.js";
import { spelledOut, statedExpansion } from "./definitions.js";
import { leadIn } from "./describe-source.js";
import { indexText, matchTerm, type ScoredUnit, scoreUnits } from "./evidence.js";
import { tableLookup, tableRow } from "./tables.js";
import type { Answerer, AnswerInput, AnswerOutput } from "./types.js";
import { isHeading } from "./units.js";

export const ABSTAIN: Record<Language, string> = {
  da: "Jeg kunne ikke finde svaret i dokumenterne.",
  en: "I couldn't find that in the documents.",
};

export const CLOSEST: Record<Language, string> = {
  da: "Det nærmeste jeg fandt:",
  en: "The closest I found:",
};

/**
 * Offline answers: quote the sentences, lines or lists that answer the question, led by one
 * line naming the source. No model writes text, so no invented facts. Which unit answers,
 * and whether any does, is decided by the fitted answer model (answer-model.ts): below its
 * threshold the answer is "not found", with the closest relevant passage when there is one.
 */
export class ExtractiveAnswerer implements Answerer {
  readonly mode = "extractive" as const;

  constructor(private readonly model: AnswerModel = DEFAULT_MODEL) {}

  async answer(input: AnswerInput): Promise<AnswerOutput> {
    const a = input.analysis ?? analyzeQuery(input.question);
    const judged = judgeUnits(input, a, this.model);
    // answers the documents state outright, whatever the model's confidence: an acronym the
    // glossary (mined from these documents) spells out, an agenda item asked for by number,
    // and the row of a table that the question names
    const stated = a.definition ? null : statedExpansion(a, judged.ok);
    if (stated) {
      const withDefinition = { ...a, definition: stated.definition };
      return compose(stated.unit, judged.ok, judged.scored, withDefinition, input.language);
    }
    const sure = spelledOut(a, judged.ok) ?? agendaItem(a, judged.ok) ?? tableLookup(a, judged.ok);
    if (sure) return compose(sure, judged.ok, judged.scored, a, input.language);
    const best = judged.ok[0];
    if (!best || judged.confidence < this.model.threshold) {
      return decline(input.language, judged.ok, judged.scored, judged.confidence);
    }
    return compose(best, judged.ok, judged.scored, a, input.language);
  }
}

/** "Hvad handler punkt 2.4 om?": the item's own heading or first line. */
function agendaItem(a: QueryAnalysis, ok: ScoredUnit[]): ScoredUnit | undefined {
  if (!a.item || a.concepts.length > 0) return undefined;
  return ok.find((u) => locate(u.passage.chunk, u.start).item === a.item);
}

interface Judged {
  scored: ScoredUnit[];
  /** Units that may answer, best first. */
  ok: ScoredUnit[];
  /** Probability that the best unit answers the question (the decision model). */
  confidence: number;
}

function judgeUnits(input: AnswerInput, a: QueryAnalysis, model: AnswerModel): Judged {
  const scored = scoreUnits(input.passages, a, model);
  const ok = scored.filter((u) => u.veto === null).sort((x, y) => y.score - x.score);
  const best = ok[0];
  if (!best || topicAbsent(input, a)) return { scored, ok, confidence: 0 };
  const d = decisionFeatures(
    best.features,
    best.typeFit,
    ok.map((u) => u.score),
    ok[1]?.passage === best.passage,
    a.type,
  );
  return { scored, ok, confidence: decisionConfidence(model, d, best.features) };
}

/** How sure the answerer is that its best unit answers (0 when it would decline outright). */
export function bestScore(input: AnswerInput, model: AnswerModel = DEFAULT_MODEL): number {
  return judgeUnits(input, input.analysis ?? analyzeQuery(input.question), model).confidence;
}

/**
 * An open question ("Hvad koster DK2020 for Lolland?") whose key words no retrieved passage
 * mentions is about something the documents don't cover: nothing to quote.
 */
function topicAbsent(input: AnswerInput, a: QueryAnalysis): boolean {
  if (a.type !== "what" && a.type !== "define") return false;
  const indexes = input.passages.map((p) => indexText(p.chunk.searchText ?? p.chunk.text));
  const isEntity = (g: string[]) =>
    g.some((t) => a.entities.some((e) => e.some((alt) => fold(alt) === fold(t))));
  const open = a.concepts.filter((g) => !isEntity(g) && g[0] !== a.answerNoun && (g[0]?.length ?? 0) >= 4);
  const missing = open.filter((g) => !indexes.some((idx) => g.some((t) => matchTerm(t, idx) > 0)));
  return missing.length > 0 && missing.length >= open.length - missing.length;
}

/**
 * "Not found", with the closest relevant passage quoted and cited when retrieval found one
 * that is on topic (a weaker version of an answer), so the user can judge it.
 */
function decline(lang: Language, ok: ScoredUnit[], scored: ScoredUnit[], confidence: number): AnswerOutput {
  // on topic: the ranker's best, if the decision model gives it some chance and it covers the question
  // (a heading or a page's title line says what the passage is about, not what it says)
  const top = ok.slice(0, 3).find((u) => !isHeading(u)) ?? ok[0];
  const near =
    top && confidence >= CLOSEST_MIN_CONFIDENCE && top.coverage >= CLOSEST_MIN_COVERAGE ? top : undefined;
  if (!near) return { answer: ABSTAIN[lang], abstained: true, mode: "extractive", citations: [] };
  // quoted the way an answer would be: a table row under its header, a value with its label
  const picks = tableRow(near, scored) ?? [withContinuation(withLabel(near), ok)];
  if (picks.map((p) => p.text).join(" ").length < 12) {
    return { answer: ABSTAIN[lang], abstained: true, mode: "extractive", citations: [] };
  }
  const citations = picks.map((u) => citationFor(u.passage, u.text, 1));
  const chunk = near.passage.chunk;
  const lead = leadIn({ ...chunk, ...locate(chunk, picks[0]!.start) }, lang);
  const body = citations.map((c) => quoteBlock(c.quote)).join("\n");
  let answer = `${ABSTAIN[lang]}\n\n${CLOSEST[lang]}\n${lead}\n${body} [1]`;
  const out = citations.slice(0, 1);
  // a runner-up nearly as good from elsewhere: unsure between two, show both
  const other = runnerUp(near, ok, picks);
  if (other) {
    const c2 = citationFor(other.passage, other.text, 2);
    const ch2 = other.passage.chunk;
    answer += `\n\n${leadIn({ ...ch2, ...locate(ch2, other.start) }, lang)}\n${quoteBlock(c2.quote)} [2]`;
    out.push(c2);
  }
  return { answer, abstained: true, mode: "extractive", citations: out };
}

/** The next unit as close to the question as the best, not a heading and not the same words. */
function runnerUp(near: ScoredUnit, ok: ScoredUnit[], picks: ScoredUnit[]): ScoredUnit | undefined {
  const u = ok
    .slice(0, 6)
    .find(
      (x) =>
        x !== near &&
        !isHeading(x) &&
        x.text.length >= 12 &&
        x.coverage >= CLOSEST_MIN_COVERAGE &&
        near.score - x.score < 1.5 &&
        !picks.some((p) => p.passage === x.passage && p.start <= x.start && p.end >= x.end) &&
        !picks.some((p) => similar(p.text, x.text)),
    );
  return u ? withContinuation(withLabel(u), ok) : undefined;
}

/** Below this confidence the best unit is too doubtful even to show as the closest passage. */
const CLOSEST_MIN_CONFIDENCE = 0.02;
/** …and the share of the question it must cover. */
const CLOSEST_MIN_COVERAGE = 0.34;

/**
 * A short value line ("Tlf. 3370 3822", "Hotel Opus Horsens") is quoted with the line above
 * it in the same block (its label or the row it belongs to), so the quote says what it is.
 */
function withLabel(u: ScoredUnit): ScoredUnit {
  if (u.kind !== "line" || u.text.length >= 40) return u;
  const text = u.passage.chunk.text;
  const before = text.slice(0, u.start);
  const m = /([^\n]+)\n[ \t]*$/.exec(before);
  if (!m?.[1] || m[1].trim().length > 120) return u;
  const start = before.length - m[0].length + (m[1].length - m[1].trimStart().length);
  return { ...u, start, text: text.slice(start, u.end) };
}

const quoteBlock = (text: string) =>
  text
    .split("\n")
    .map((l) => `> ${l.trim()}`)
    .join("\n");

function compose(
  best: ScoredUnit,
  ok: ScoredUnit[],
  scored: ScoredUnit[],
  a: QueryAnalysis,
  lang: Language,
): AnswerOutput {
  const row = tableRow(best, scored);
  const picks: ScoredUnit[] = row
    ? row
    : [withContinuation(withLabel(expandToList(best, scored, a.type === "list")), scored)];
  // "Hvad handler punkt 2.4 om?": the item's title, then what it proposes and its background
  if (a.item && a.concepts.length === 0) picks.push(...itemOverview(best, scored));
  // a second, independent passage that answers as well (corroboration or the rest)
  for (const u of ok.slice(1)) {
    if (picks.length >= 2) break;
    if (u.score < best.score - 0.3) break;
    if (u.coverage < best.coverage * 0.9 || u.typeFit < best.typeFit || u.text.length < 25) continue;
    if (a.type !== "list" && u.kind === "list") continue;
    if (picks.some((p) => p.passage.chunk.docId === u.passage.chunk.docId)) continue;
    if (picks.some((p) => similar(p.text, u.text))) continue;
    picks.push(withContinuation(expandToList(u, scored, a.type === "list"), scored));
  }

  const citations: Citation[] = [];
  const blocks: { lead: string; quotes: string[] }[] = [];
  picks.forEach((p, i) => {
    const n = i + 1;
    citations.push(citationFor(p.passage, p.text, n));
    const chunk = p.passage.chunk;
    const lead = leadIn({ ...chunk, ...locate(chunk, p.start) }, lang);
    // quotes from the same place share one lead-in line
    const last = blocks[blocks.length - 1];
    const quote = `${quoteBlock(p.text)} [${n}]`;
    if (last && last.lead === lead) last.quotes.push(quote);
    else blocks.push({ lead, quotes: [quote] });
  });
  let answer = blocks.map((b) => `${b.lead}\n${b.quotes.join("\n")}`).join("\n\n");
  // "Hvad står DEB for?": say it, when the quoted passage spells it out
  const d = a.definition;
  const spelled = d ? picks.findIndex((p) => p.text.includes(d.expansion)) : -1;
  if (d && spelled >= 0) {
    answer = `${d.acronym} ${lang === "da" ? "står for" : "stands for"} ${d.expansion} [${spelled + 1}].\n\n${answer}`;
  }
  return { answer, abstained: false, mode: "extractive", citations };
}

/**
 * A list item, or a sentence or line that introduces what follows ("… følgende temaer:",
 * "X peger på, at:"), is quoted with the whole list or paragraph after it; a list is also
 * brought in when the question asks for one.
 */
function expandToList(u: ScoredUnit, all: ScoredUnit[], wantList: boolean): ScoredUnit {
  const intro = /:\s*$/.test(u.text);
  if (!wantList && !intro) return u;
  const list = all.find(
    (l) => l.kind === "list" && l.passage === u.passage && l.start <= u.start && l.end >= u.end && l !== u,
  );
  if (list) return { ...list, score: u.score };
  if (u.kind === "list") return u;
  const text = u.passage.chunk.text;
  // a sentence announcing what a list right after it spells out: quote both
  const after = all
    .filter((l) => l.kind === "list" && l.passage === u.passage && l.start >= u.end && l.start - u.end <= 250)
    .sort((x, y) => x.start - y.start)[0];
  if (after && after.end - u.start <= 1200)
    return { ...u, kind: "list", end: after.end, text: text.slice(u.start, after.end) };
  if (!intro) return u;
  // no bullets: the paragraph after the colon (up to a blank line) is what it introduces
  const rest = text.slice(u.end);
  const para = /^\s*\n?([^\n]+(?:\n(?!\s*\n)[^\n]+)*)/.exec(rest);
  if (!para?.[1] || para[0].length > 800) return u;
  const end = u.end + para[0].length;
  return { ...u, kind: "list", end, text: text.slice(u.start, end) };
}

// A next sentence that leans on this one ("Du skal dog…", "Det betyder…") finishes its thought.
const CONTINUES =
  /^(det|dette|den|de|du|han|hun|der|dog|men|derfor|herudover|samtidig|således|dermed|heraf|it|this|that|they|however|but|therefore)\b|\bdog\b/i;

function withContinuation(u: ScoredUnit, all: ScoredUnit[]): ScoredUnit {
  if (u.kind !== "sentence" && u.kind !== "line") return u;
  const text = u.passage.chunk.text;
  const next = all
    .filter(
      (x) => x.passage === u.passage && (x.kind === "sentence" || x.kind === "line") && x.start >= u.end,
    )
    .sort((x, y) => x.start - y.start)[0];
  // the next sentence in the same paragraph (a single line break at most)
  if (!next || !/^[ \t]*\n?[ \t]*$/.test(text.slice(u.end, next.start)) || !CONTINUES.test(next.text))
    return u;
  if (next.end - u.start > 350) return u;
  return { ...u, end: next.end, text: text.slice(u.start, next.end) };
}

function itemOverview(title: ScoredUnit, all: ScoredUnit[]): ScoredUnit[] {
  const item = locate(title.passage.chunk, title.start).item;
  const same = all
    .filter(
      (u) =>
        u.passage.chunk.docId === title.passage.chunk.docId && locate(u.passage.chunk, u.start).item === item,
    )
    .filter((u) => u.kind === "sentence" || u.kind === "line")
    .sort((x, y) => x.passage.chunk.start + x.start - (y.passage.chunk.start + y.start));
  const proposal = same.find((u) => /^det indstilles\b/i.test(u.text));
  const background = same.find(
    (u) =>
      u !== proposal && u.text.length > 60 && /[.!?]$/.test(u.text) && !/^det indstilles\b/i.test(u.text),
  );
  return [background, proposal].filter((u): u is ScoredUnit => u !== undefined);
}

function similar(a: string, b: string): boolean {
  const wa = new Set(a.toLowerCase().match(/\p{L}+/gu) ?? []);
  const wb = b.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (wb.length === 0) return true;
  const shared = wb.filter((w) => wa.has(w)).length;
  return shared / Math.max(wa.size, wb.length) > 0.7;
}
