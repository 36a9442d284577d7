import { analyzeQuery, fold } from "../retrieval/query.js";
import type { Citation, Language } from "../types.js";
import { citationFor, locate } from "./citations.js";
import { leadIn } from "./describe-source.js";
import { indexText, matchTerm, type ScoredUnit, scoreUnits } from "./evidence.js";
import type { Answerer, AnswerInput, AnswerOutput } from "./types.js";

export const ABSTAIN: Record<Language, string> = {
  da: "Jeg kunne ikke finde svaret i dokumenterne.",
  en: "I couldn't find that in the documents.",
};

/**
 * Thresholds below which the best evidence is too weak to quote as an answer.
 * Tuned on the dev set and the extra questions in bench/eval-extra.jsonl; an
 * unanswerable question should fall under them, an answerable one clear them.
 */
const MIN_COVERAGE = 0.45;
const MIN_SCORE = 0.4;
const STRONG_COVERAGE = 0.75;
const NEEDS_TYPE_FIT = new Set(["who", "when", "where", "howmany"]);

/**
 * Offline answers: quote the sentences, lines or lists that answer the question,
 * led by one line naming the source. No model, so no invented facts.
 */
export class ExtractiveAnswerer implements Answerer {
  readonly mode = "extractive" as const;

  async answer(input: AnswerInput): Promise<AnswerOutput> {
    const lang = input.language;
    const a = input.analysis ?? analyzeQuery(input.question);
    const scored = scoreUnits(input.passages, a);
    // An open question ("Hvad koster DK2020 for Lolland?") whose key word no retrieved
    // passage mentions is about something the documents don't cover: nothing to quote.
    const indexes = input.passages.map((p) => indexText(p.chunk.searchText));
    const isEntity = (g: string[]) =>
      g.some((t) => a.entities.some((e) => e.some((alt) => fold(alt) === fold(t))));
    const open = a.concepts.filter((g) => !isEntity(g) && g[0] !== a.answerNoun && (g[0]?.length ?? 0) >= 4);
    const missing = open.filter((g) => !indexes.some((idx) => g.some((t) => matchTerm(t, idx) > 0)));
    // as many of its key words missing as present: the topic isn't in the documents
    const topicAbsent =
      (a.type === "what" || a.type === "define") &&
      missing.length > 0 &&
      missing.length >= open.length - missing.length;
    if (topicAbsent) return { answer: ABSTAIN[lang], abstained: true, mode: "extractive", citations: [] };
    const ok = scored.filter((u) => u.veto === null).sort((x, y) => y.score - x.score);
    const best = ok[0];
    if (
      !best ||
      best.coverage < MIN_COVERAGE ||
      best.score < MIN_SCORE ||
      // the wrong kind of answer (no name for "who", no date for "when") unless the
      // passage matches the question almost word for word
      (NEEDS_TYPE_FIT.has(a.type) &&
        best.typeFit === 0 &&
        !(best.coverage >= STRONG_COVERAGE && a.concepts.length >= 3))
    ) {
      return { answer: ABSTAIN[lang], abstained: true, mode: "extractive", citations: [] };
    }

    const picks: ScoredUnit[] = [withContinuation(expandToList(best, scored, a.type === "list"), scored)];
    // "Hvad handler punkt 2.4 om?": the item's title, then what it proposes and its background
    if (a.item && a.concepts.length === 0) picks.push(...itemOverview(best, scored));
    // a second, independent passage that answers as well (corroboration or the rest)
    for (const u of ok.slice(1)) {
      if (picks.length >= 2) break;
      if (u.score < best.score * 0.93 || u.coverage < MIN_COVERAGE) break;
      // a second quote must be as much on topic and not a bare heading
      if (u.coverage < best.coverage * 0.9 || u.typeFit < best.typeFit || u.text.length < 25) continue;
      if (a.type !== "list" && u.kind === "list") continue;
      if (NEEDS_TYPE_FIT.has(a.type) && u.typeFit === 0 && u.coverage < STRONG_COVERAGE) continue;
      if (picks.some((p) => p.passage.chunk.docId === u.passage.chunk.docId)) continue;
      if (picks.some((p) => similar(p.text, u.text))) continue;
      picks.push(withContinuation(expandToList(u, scored, a.type === "list"), scored));
    }

    const citations: Citation[] = [];
    const blocks: { lead: string; quotes: string[] }[] = [];
    picks.forEach((p, i) => {
      const n = i + 1;
      citations.push(citationFor(p.passage, p.text, n));
      const body = p.text
        .split("\n")
        .map((l) => `> ${l.trim()}`)
        .join("\n");
      const chunk = p.passage.chunk;
      const lead = leadIn({ ...chunk, ...locate(chunk, p.start) }, lang);
      // quotes from the same place share one lead-in line
      const last = blocks[blocks.length - 1];
      if (last && last.lead === lead) last.quotes.push(`${body} [${n}]`);
      else blocks.push({ lead, quotes: [`${body} [${n}]`] });
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
}

/** A list item or the line introducing a list is quoted with the whole list when the question asks for a list. */
function expandToList(u: ScoredUnit, all: ScoredUnit[], wantList: boolean): ScoredUnit {
  if (!wantList && !(u.kind === "line" && u.text.trim().endsWith(":"))) return u;
  const list = all.find(
    (l) => l.kind === "list" && l.passage === u.passage && l.start <= u.start && l.end >= u.end && l !== u,
  );
  if (list) return { ...list, score: u.score };
  if (!wantList || u.kind === "list") return u;
  // a sentence announcing what a list right after it spells out ("KKR udpeger … til en
  // række regionale fora. … KKR udpeger bl.a. til: - …"): quote both
  const text = u.passage.chunk.text;
  const after = all
    .filter((l) => l.kind === "list" && l.passage === u.passage && l.start >= u.end && l.start - u.end <= 250)
    .sort((x, y) => x.start - y.start)[0];
  if (!after || after.end - u.start > 1200) return u;
  return { ...u, kind: "list", end: after.end, text: text.slice(u.start, after.end) };
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
  if (!next || !/^[ \t]*$/.test(text.slice(u.end, next.start)) || !CONTINUES.test(next.text)) return u;
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
