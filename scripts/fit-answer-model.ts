// Fits the extractive answer model (src/answer/answer-model.json): a logistic regression
// over the features of each evidence unit (src/answer/evidence.ts), on labelled questions
// over real and realistic KKR documents, with cross-validation GROUPED BY DOCUMENT so the
// reported figure is how it does on documents it was not fitted on. Also picks the answer
// threshold on the out-of-fold predictions (a wrong answer costs three right ones).
//
// Usage: node --import tsx scripts/fit-answer-model.ts [--folds 5] [--dry-run]
//        [--decision trees|logistic] [--verbose] [--vetoes] [--quick]
// Writes src/answer/answer-model.json and bench/answer-model-report.md.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { runIngest } from "../ingest/pipeline.js";
import {
  type AnswerModel,
  DECISION_FEATURES,
  decisionFeatures,
  decisionRow,
  FEATURES,
} from "../src/answer/answer-model.js";
import { type ScoredUnit, scoreUnits } from "../src/answer/evidence.js";
import { bestScore, ExtractiveAnswerer } from "../src/answer/extractive-answerer.js";
import type { Forest, Tree } from "../src/answer/trees.js";
import type { AnswerInput, AskResult } from "../src/answer/types.js";
import { loadConfig } from "../src/config.js";
import { HashEmbedder } from "../src/embed/hash-embedder.js";
import { type EvalCase, judge, loadEvalFile } from "../src/eval/eval.js";
import { Kkr } from "../src/kkr.js";
import { KkrStore } from "../src/store/store.js";
import { fitBoostedTrees } from "./lib/boosted-trees.js";
import { fitConditionalLogit, fitLogistic, type Group, type Sample } from "./lib/logistic.js";

const ROOT = resolve(import.meta.dirname, "..");
const SHARED = resolve(ROOT, "../shared");
const args = process.argv.slice(2);
const FOLDS = Number(args[args.indexOf("--folds") + 1] || 5) || 5;
const DRY = args.includes("--dry-run");
// boosted trees answered more questions right at fewer wrong answers out of fold than the
// logistic decision (same features, same folds; see the README's Quality section)
const RANKER_KIND = args.includes("--ranker") ? args[args.indexOf("--ranker") + 1] : "logit";
const RANKER_TREE_OPTIONS = { rounds: 200, depth: 3, minLeaf: 20 };
const DECISION_KIND = args.includes("--decision") ? args[args.indexOf("--decision") + 1] : "trees";
/** Tree settings (scripts/lib/boosted-trees.ts defaults unless set; compared out of fold). */
const TREE_OPTIONS = {
  ...(process.env.KKR_FIT_DEPTH ? { depth: Number(process.env.KKR_FIT_DEPTH) } : {}),
  ...(process.env.KKR_FIT_ROUNDS ? { rounds: Number(process.env.KKR_FIT_ROUNDS) } : {}),
};
/**
 * A wrong answer is worse than "not found": it costs this many right ones when picking the
 * threshold. Five, because a decline still quotes the closest passage (the user sees the
 * likely answer, marked as unsure), while a wrong answer is stated as the answer.
 */
const WRONG_COST = 5;

interface DataSet {
  name: string;
  docs: string;
  questions: string[];
}

const benchSets = readdirSync(join(ROOT, "bench"))
  .filter((f) => /^eval-.*\.jsonl$/.test(f))
  .map((f) => join(ROOT, "bench", f));
const SETS: DataSet[] = [
  {
    name: "reference",
    docs: join(SHARED, "corpus"),
    questions: [
      join(SHARED, "eval/dev.jsonl"),
      ...benchSets,
      join(ROOT, "bench/holdout/newcomer/questions.jsonl"),
      join(ROOT, "bench/holdout/newcomer2/questions.jsonl"),
    ],
  },
  { name: "web", docs: join(SHARED, "corpus-web"), questions: [join(SHARED, "eval/web-dev.jsonl")] },
  ...[
    "devset",
    "devset2",
    "devset3",
    "devset4",
    "devset5",
    "holdout/h1",
    "holdout/h2",
    "holdout/h3",
    "holdout/h4",
    "holdout/h5",
  ].map((d) => ({
    name: d.replace("holdout/", ""),
    docs: join(ROOT, "bench", d, "docs"),
    questions: [join(ROOT, "bench", d, "questions.jsonl")],
  })),
];

interface Question {
  set: string;
  c: EvalCase;
  input: AnswerInput;
  group: string;
  units: ScoredUnit[];
  labels: (0 | 1)[];
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[‐‑–—]/g, "-")
    .replace(/\s+/g, " ");

/** Does this unit hold the expected answer (and come from the expected document)? */
function label(c: EvalCase, u: ScoredUnit): 0 | 1 {
  if (c.expect_abstain) return 0;
  const text = norm(u.text);
  const want = [...(c.expect_any ?? []), ...(c.expect_all ?? [])];
  if (want.length === 0 || !want.some((e) => text.includes(norm(e)))) return 0;
  if ((c.expect_none ?? []).some((e) => text.includes(norm(e)))) return 0;
  if (c.expect_source && !c.expect_source.includes(basename(u.passage.chunk.source))) return 0;
  return 1;
}

async function collect(set: DataSet): Promise<Question[]> {
  const db = mkdtempSync(join(tmpdir(), "kkr-fit-"));
  try {
    const store = await KkrStore.open(db, { create: true });
    await runIngest(store, new HashEmbedder(), {
      dir: set.docs,
      maxFileBytes: 50 << 20,
      parseTimeoutMs: 20_000,
    });
    store.close();
    const kkr = await Kkr.open(loadConfig({ KKR_DB: db, KKR_LOG_LEVEL: "silent" }), {
      llmAnswerer: null,
      rewriter: null,
    });
    const out: Question[] = [];
    for (const file of set.questions) {
      for (const c of loadEvalFile(file)) {
        const { analysis, passages } = await kkr.retrieve(c.question);
        const input: AnswerInput = {
          question: analysis.question,
          language: analysis.language,
          terms: analysis.terms,
          passages,
          region: analysis.region,
          analysis,
        };
        const all = scoreUnits(passages, analysis);
        const units = all.filter((u) => u.veto === null);
        if (args.includes("--vetoes") && !c.expect_abstain && !units.some((u) => label(c, u) === 1)) {
          const vetoed = all.filter((u) => label({ ...c, expect_source: c.expect_source }, { ...u }) === 1);
          console.error(
            `UNREACHABLE [${set.name}/${c.id}] ${c.question}\n   ${
              vetoed.length
                ? vetoed
                    .map((u) => `${u.veto}: ${u.text.slice(0, 80).replace(/\n/g, " / ")}`)
                    .slice(0, 2)
                    .join("\n   ")
                : "no unit holds the answer"
            }`,
          );
        }
        const top = passages[0]?.chunk.source ?? "none";
        const group = `${set.name}:${c.expect_source?.[0] ?? `abstain-${top}`}`;
        out.push({ set: set.name, c, input, group, units, labels: units.map((u) => label(c, u)) });
      }
    }
    await kkr.close();
    return out;
  } finally {
    rmSync(db, { recursive: true, force: true });
  }
}

function groupsOf(qs: Question[]): Group[] {
  return qs.map((q) => ({ xs: q.units.map((u) => u.features), pos: q.labels.map((l) => l === 1) }));
}

interface Outcome {
  q: Question;
  /** decision features of the top unit under the ranker that judged it */
  d: Float64Array;
  /** that unit's own features */
  top: Float64Array;
  /** the decision model's confidence */
  score: number;
  /** The judged outcome if it answers, and if it declines. */
  answered: boolean;
  declined: boolean;
  failures: string[];
  answer: string;
}

const asResult = (
  q: Question,
  out: { answer: string; citations: AskResult["citations"] },
  abstained: boolean,
): AskResult => ({
  question: q.c.question,
  answer: abstained ? "" : out.answer,
  abstained,
  mode: "extractive",
  language: q.input.language,
  citations: abstained ? [] : out.citations,
  closest: [],
  timings_ms: {},
});

/** How question q fares under `model` if it answers (threshold 0) and if it declines. */
async function outcome(q: Question, model: AnswerModel): Promise<Outcome> {
  const out = await new ExtractiveAnswerer({ ...model, threshold: 0 }).answer(q.input);
  const ok = scoreUnits(q.input.passages, q.input.analysis!, model)
    .filter((u) => u.veto === null)
    .sort((a, b) => b.score - a.score);
  const top = ok[0];
  const d = top
    ? decisionFeatures(
        top.features,
        top.typeFit,
        ok.map((u) => u.score),
        ok[1]?.passage === top.passage,
        q.input.analysis!.type,
      )
    : new Float64Array(DECISION_FEATURES.length);
  const j = judge(q.c, asResult(q, out, false), []);
  return {
    q,
    d,
    top: top?.features ?? new Float64Array(FEATURES.length),
    failures: j.failures,
    answer: out.answer,
    score: out.abstained ? 0 : bestScore(q.input, model),
    answered: !out.abstained && j.pass,
    declined: judge(q.c, asResult(q, out, true), []).pass,
  };
}

/**
 * Decision model on the top unit (label: answering with it passes): logistic regression on
 * the decision features, or (--decision trees) boosted trees on those and the unit's own
 * features, which can learn interactions such as "a date for a when-question, but only when
 * the asked month matches".
 */
function fitDecision(outs: Outcome[]): Pick<AnswerModel, "decision" | "forest"> {
  const used = outs.filter((o) => o.d[0] === 1);
  if (DECISION_KIND === "trees") {
    const rows: Sample[] = used.map((o) => ({ x: decisionRow(o.d, o.top), y: o.answered ? 1 : 0, w: 1 }));
    return { decision: [], forest: fitBoostedTrees(rows, rows[0]?.x.length ?? 0, TREE_OPTIONS) };
  }
  const rows: Sample[] = used.map((o) => ({ x: o.d, y: o.answered ? 1 : 0, w: 1 }));
  return { decision: fitLogistic(rows, DECISION_FEATURES.length) };
}

/**
 * The ranker: a conditional logit over the units of each question, or (--ranker trees)
 * boosted trees on every unit (label: it holds the answer), which can weigh features
 * differently by kind of question.
 */
function fitRanker(qs: Question[]): Pick<AnswerModel, "ranker" | "rankerForest"> {
  if (RANKER_KIND === "trees") {
    const rows: Sample[] = qs.flatMap((q) =>
      q.units.map((u, i) => ({ x: u.features, y: q.labels[i]!, w: 1 })),
    );
    return { ranker: [], rankerForest: fitBoostedTrees(rows, FEATURES.length, RANKER_TREE_OPTIONS) };
  }
  return { ranker: fitConditionalLogit(groupsOf(qs), FEATURES.length) };
}

/** Ranker on `train`, decision model on the ranker's out-of-fold outcomes within `train`. */
async function fitModel(train: Question[], innerFolds: number): Promise<AnswerModel> {
  const ranker = fitRanker(train);
  const inner: Outcome[] = [];
  for (let f = 0; f < innerFolds; f++) {
    const fit = train.filter((q) => foldOf(q.group, innerFolds, 7) !== f);
    const held = train.filter((q) => foldOf(q.group, innerFolds, 7) === f);
    if (held.length === 0) continue;
    const r = fitRanker(fit);
    for (const q of held) inner.push(await outcome(q, { ...r, decision: [], threshold: 0 }));
  }
  return { ...ranker, ...fitDecision(inner), threshold: 0 };
}

interface Tally {
  right: number;
  wrong: number;
  declinedMiss: number;
  total: number;
}

function tally(outs: Outcome[], threshold: number): Tally {
  const t = { right: 0, wrong: 0, declinedMiss: 0, total: outs.length };
  for (const o of outs) {
    if (o.score >= threshold && o.score > 0) {
      if (o.answered) t.right++;
      else t.wrong++;
    } else if (o.declined) t.right++;
    else t.declinedMiss++;
  }
  return t;
}

function foldOf(group: string, folds = FOLDS, salt = 0): number {
  let h = 2166136261 ^ salt;
  for (const ch of group) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return (h >>> 0) % folds;
}

const questions: Question[] = [];
for (const set of SETS) {
  try {
    readdirSync(set.docs);
  } catch {
    console.error(`skipping ${set.name}: ${set.docs} not found`);
    continue;
  }
  const qs = await collect(set);
  console.error(`${set.name}: ${qs.length} questions, ${qs.reduce((s, q) => s + q.units.length, 0)} units`);
  questions.push(...qs);
}

{
  const answerable = questions.filter((q) => !q.c.expect_abstain);
  const reachable = answerable.filter((q) => q.labels.includes(1));
  console.error(
    `answerable ${answerable.length}; with an answering unit among the candidates ${reachable.length}`,
  );
  for (const s of SETS) {
    const a = answerable.filter((q) => q.set === s.name);
    console.error(`  ${s.name}: ${a.filter((q) => q.labels.includes(1)).length}/${a.length}`);
  }
}
// grouped cross-validation: every question about a document is in the same fold; the
// decision model inside each fold is fitted on an inner grouped CV of the training folds
const oof: Outcome[] = [];
for (let f = 0; f < FOLDS; f++) {
  const train = questions.filter((q) => foldOf(q.group) !== f);
  const test = questions.filter((q) => foldOf(q.group) === f);
  if (test.length === 0) continue;
  const model = await fitModel(train, 4);
  for (const q of test) oof.push(await outcome(q, model));
  if (args.includes("--quick")) break;
  console.error(`fold ${f + 1}/${FOLDS} done`);
}

const grid = Array.from({ length: 39 }, (_, i) => 0.05 + i * 0.025);
const scoreOf = (t: Tally) => t.right - WRONG_COST * t.wrong;
// the objective is flat near its best: among thresholds within 1% of the questions of the
// best, take the lowest (the one that answers most)
const bestObjective = Math.max(...grid.map((t) => scoreOf(tally(oof, t))));
const threshold = grid.find((t) => scoreOf(tally(oof, t)) >= bestObjective - 0.01 * oof.length) ?? 0.5;
const final = await fitModel(questions, FOLDS);
if (args.includes("--verbose")) {
  for (const o of oof) {
    const answers = o.score >= threshold && o.score > 0;
    const verdict = answers
      ? o.answered
        ? null
        : "WRONG"
      : o.declined
        ? null
        : o.answered
          ? "DECLINED(top right)"
          : "DECLINED";
    if (!verdict) continue;
    const top = [...o.q.units].sort((a, b) => b.score - a.score)[0];
    const pos = o.q.units.findIndex((_, i) => o.q.labels[i] === 1);
    console.error(
      `${verdict} ${o.score.toFixed(2)} [${o.q.set}/${o.q.c.id}] ${o.q.c.question}\n   ${o.failures.join("; ")}\n   answer: ${o.answer.slice(0, 300).replace(/\n/g, " / ")}\n   top: ${top?.text.slice(0, 140).replace(/\n/g, " / ")}\n   has answer unit: ${pos >= 0 ? o.q.units[pos]!.text.slice(0, 100).replace(/\n/g, " / ") : "none"}`,
    );
  }
}

const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;
const lines: string[] = [
  "# Answer model: fit and cross-validation",
  "",
  `Made by \`node --import tsx scripts/fit-answer-model.ts\` (${FOLDS} folds grouped by document; threshold chosen on the out-of-fold predictions, a wrong answer counting ${WRONG_COST}× a right one; among thresholds within 1% of the best, the lowest).`,
  "",
  `Questions: ${questions.length} (${SETS.map((s) => `${s.name} ${questions.filter((q) => q.set === s.name).length}`).join(", ")}); evidence units: ${questions.reduce((s, q) => s + q.units.length, 0)}.`,
  "",
  "## Out-of-fold (documents unseen by the model that judged them)",
  "",
  "| threshold | right | wrong answers | declined although answerable |",
  "| --- | --- | --- | --- |",
];
for (const t of [
  ...[0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].filter((x) => Math.abs(x - threshold) > 1e-9),
  threshold,
].sort((a, b) => a - b)) {
  const r = tally(oof, t);
  lines.push(
    `| ${t.toFixed(3)}${Math.abs(t - threshold) < 1e-9 ? " (chosen)" : ""} | ${r.right}/${r.total} (${pct(r.right, r.total)}) | ${r.wrong} | ${r.declinedMiss} |`,
  );
}
lines.push("", "By set at the chosen threshold:", "");
for (const s of SETS) {
  const r = tally(
    oof.filter((o) => o.q.set === s.name),
    threshold,
  );
  if (r.total)
    lines.push(`- ${s.name}: ${r.right}/${r.total} right, ${r.wrong} wrong, ${r.declinedMiss} declined`);
}
lines.push(
  "",
  'By kind of question (answerable questions; "top right": the ranker\'s best unit answers it, whatever the decision):',
  "",
  "| kind | answerable | answer among candidates | top right | answered right | wrong | declined |",
  "| --- | --- | --- | --- | --- | --- | --- |",
);
for (const type of ["who", "when", "where", "howmany", "list", "define", "role", "what"]) {
  const os = oof.filter((o) => !o.q.c.expect_abstain && o.q.input.analysis?.type === type);
  if (os.length === 0) continue;
  const r = tally(os, threshold);
  lines.push(
    `| ${type} | ${os.length} | ${os.filter((o) => o.q.labels.includes(1)).length} | ${os.filter((o) => o.answered).length} | ${r.right} | ${r.wrong} | ${r.declinedMiss} |`,
  );
}
lines.push("", "## Ranker weights (fitted on all questions)", "", "| feature | weight |", "| --- | --- |");
if (final.rankerForest) {
  lines.pop();
  lines.pop();
  lines.push(
    `Boosted trees (${final.rankerForest.trees.length} trees of depth ≤ ${RANKER_TREE_OPTIONS.depth}) on every candidate unit; see \`scripts/lib/boosted-trees.ts\`.`,
  );
} else for (const [i, f] of FEATURES.entries()) lines.push(`| ${f} | ${final.ranker[i]!.toFixed(3)} |`);
lines.push("", "## Decision weights", "", "| feature | weight |", "| --- | --- |");
if (final.forest) {
  lines.pop();
  lines.pop();
  lines.push(
    `Boosted trees (${final.forest.trees.length} trees of depth ≤ 2, logistic loss) over the decision features followed by the top unit's features; see \`scripts/lib/boosted-trees.ts\`.`,
  );
} else
  for (const [i, f] of DECISION_FEATURES.entries()) lines.push(`| ${f} | ${final.decision[i]!.toFixed(3)} |`);
const report = lines.join("\n");
console.log(report);
if (!DRY) {
  writeFileSync(
    join(ROOT, "src/answer/answer-model.json"),
    `${JSON.stringify(
      {
        _comment:
          "Fitted by scripts/fit-answer-model.ts; see bench/answer-model-report.md. Do not edit by hand.",
        features: FEATURES,
        decisionFeatures: DECISION_FEATURES,
        ranker: final.ranker.map((w) => Number(w.toFixed(5))),
        decision: final.decision.map((w) => Number(w.toFixed(5))),
        ...(final.forest ? { forest: roundForest(final.forest) } : {}),
        ...(final.rankerForest ? { rankerForest: roundForest(final.rankerForest) } : {}),
        threshold: Number(threshold.toFixed(3)),
      },
      null,
      1,
    )}\n`,
  );
  writeFileSync(join(ROOT, "bench/answer-model-report.md"), `${report}\n`);
}

function roundForest(forest: Forest): Forest {
  const round = (t: Tree): Tree =>
    "v" in t
      ? { v: Number(t.v.toFixed(5)) }
      : { f: t.f, t: Number(t.t.toFixed(5)), l: round(t.l), r: round(t.r) };
  return { base: Number(forest.base.toFixed(5)), trees: forest.trees.map(round) };
}
