import type { QuestionType } from "../retrieval/query.js";
import fitted from "./answer-model.json" with { type: "json" };
import { type Forest, forestLogit } from "./trees.js";

/**
 * The features an evidence unit is judged by, in the order the fitted weights use. Each is
 * computed in evidence.ts; the weights come from scripts/fit-answer-model.ts (logistic
 * regression on labelled questions, cross-validated grouped by document), not by hand.
 */
export const FEATURES = [
  "bias",
  /** idf-weighted share of the question's concepts the unit matches (context counts less) */
  "cov_weighted",
  /** plain share of concepts matched in the unit itself */
  "cov_plain",
  /** share of concepts found only in the unit's heading or chunk, not the unit */
  "cov_context_only",
  /** this unit's weighted coverage minus the best unit's (≤ 0) */
  "cov_gap",
  /** the question's most telling concept is neither in the unit (with its label) nor its heading */
  "top_concept_missing",
  /** share of the question's names/acronyms the unit itself mentions */
  "entities_in_unit",
  "fit_who",
  "fit_when",
  "fit_where",
  "fit_howmany",
  "fit_list",
  "fit_role",
  "fit_define",
  "fit_what",
  /** the unit is the full kind of answer asked for (a day for "when", a marked person for "who") */
  "fit_full",
  /** consecutive question words that stand together in the unit */
  "phrase_overlap",
  /** 1 / retrieval rank of the passage */
  "rank_inverse",
  /** passage score relative to the best passage */
  "retrieval_relative",
  "length_log",
  "is_long",
  "is_heading",
  "is_list",
  "is_item",
  "is_line",
  "region_match",
  "date_asked",
  "date_match",
  "date_in_unit",
  "concepts_absent",
  "item_match",
  "concept_count",
  /** with no date asked: how new the unit's document is among those retrieved (newest 1) */
  "recency",
] as const;

export type FeatureName = (typeof FEATURES)[number];
export type FeatureVector = Float64Array;

/**
 * Features of the decision "answer with the top-ranked unit, or decline": how sure the
 * ranker is and how well the top unit covers the question.
 */
export const DECISION_FEATURES = [
  "bias",
  /** the top unit's share of the ranker's softmax over all candidate units */
  "top_probability",
  /** ranker score of the top unit minus the runner-up's (capped) */
  "margin",
  "cov_weighted",
  "cov_plain",
  "type_fit",
  "entities_in_unit",
  "concepts_absent",
  "retrieval_relative",
  "phrase_overlap",
  "top_concept_missing",
  /** the top unit is the full kind of answer asked for */
  "fit_full",
  /** the runner-up comes from the same passage (the evidence agrees on where the answer is) */
  "runner_up_same_passage",
  /** the ranker's raw score of the top unit (scaled): how much evidence there is at all */
  "top_score",
  /** the kind of question (from the question, not the unit): some kinds are answered reliably more often than others */
  "type_who",
  "type_when",
  "type_where",
  "type_howmany",
  "type_list",
  "type_open",
] as const;

export interface AnswerModel {
  /** Ranker weights over FEATURES (a conditional logit: softmax over a question's units). */
  ranker: number[];
  /** Answer-or-decline weights over DECISION_FEATURES (logistic). */
  decision: number[];
  /**
   * When present, the answer-or-decline model is this forest of boosted trees over
   * DECISION_FEATURES followed by the top unit's FEATURES, and `decision` is unused.
   */
  forest?: Forest;
  /** When present, units are ranked by this forest over FEATURES, and `ranker` is unused. */
  rankerForest?: Forest;
  /** Answer only when the decision probability is at least this; else decline. */
  threshold: number;
}

export function dot(w: number[], x: ArrayLike<number>): number {
  let z = 0;
  for (let i = 0; i < x.length; i++) z += (w[i] ?? 0) * (x[i] ?? 0);
  return z;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

const FI = Object.fromEntries(FEATURES.map((f, i) => [f, i])) as Record<FeatureName, number>;

/** The decision features of the top unit among candidates with ranker scores `scores`. */
export function decisionFeatures(
  top: FeatureVector,
  typeFit: number,
  scores: number[],
  samePassage: boolean,
  type: QuestionType,
): Float64Array {
  const sorted = [...scores].sort((a, b) => b - a);
  const max = sorted[0] ?? 0;
  const z = scores.reduce((s, x) => s + Math.exp(x - max), 0);
  const d = new Float64Array(DECISION_FEATURES.length);
  d[0] = 1;
  d[1] = z > 0 ? 1 / z : 0;
  d[2] = Math.min(3, sorted.length > 1 ? max - (sorted[1] ?? max) : 3) / 3;
  d[3] = top[FI.cov_weighted] ?? 0;
  d[4] = top[FI.cov_plain] ?? 0;
  d[5] = typeFit;
  d[6] = top[FI.entities_in_unit] ?? 0;
  d[7] = top[FI.concepts_absent] ?? 0;
  d[8] = top[FI.retrieval_relative] ?? 0;
  d[9] = top[FI.phrase_overlap] ?? 0;
  d[10] = top[FI.top_concept_missing] ?? 0;
  d[11] = top[FI.fit_full] ?? 0;
  d[12] = samePassage ? 1 : 0;
  d[13] = Math.min(1.5, Math.max(0, max / 10));
  d[14] = type === "who" ? 1 : 0;
  d[15] = type === "when" ? 1 : 0;
  d[16] = type === "where" ? 1 : 0;
  d[17] = type === "howmany" ? 1 : 0;
  d[18] = type === "list" ? 1 : 0;
  d[19] =
    type === "who" || type === "when" || type === "where" || type === "howmany" || type === "list" ? 0 : 1;
  return d;
}

/** The ranker's score of a unit's features (higher ranks first). */
export function rankScore(model: AnswerModel, features: FeatureVector): number {
  return model.rankerForest ? forestLogit(model.rankerForest, features) : dot(model.ranker, features);
}

/** The decision model's probability that the top unit answers the question. */
export function decisionConfidence(model: AnswerModel, d: Float64Array, top: FeatureVector): number {
  if (model.forest) return sigmoid(forestLogit(model.forest, decisionRow(d, top)));
  return sigmoid(dot(model.decision, d));
}

/** The trees' input: the decision features, then the top unit's own features. */
export function decisionRow(d: Float64Array, top: FeatureVector): Float64Array {
  const row = new Float64Array(d.length + top.length);
  row.set(d, 0);
  row.set(top, d.length);
  return row;
}

/** True when the data file was fitted for exactly these features (a test checks the shipped one). */
export function modelMatchesFeatures(
  data: { features: string[]; decisionFeatures: string[] } = fitted,
): boolean {
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((n, i) => n === b[i]);
  return same(data.features, FEATURES) && same(data.decisionFeatures, DECISION_FEATURES);
}

function loadModel(): AnswerModel {
  // a stale file (features added or reordered) must be refitted; until then every answer
  // declines rather than weighing features by the wrong weights
  if (!modelMatchesFeatures()) return { ranker: [], decision: [], threshold: 1.01 };
  const file = fitted as typeof fitted & { forest?: Forest; rankerForest?: Forest };
  return {
    ranker: file.ranker,
    decision: file.decision,
    threshold: file.threshold,
    ...(file.forest ? { forest: file.forest } : {}),
    ...(file.rankerForest ? { rankerForest: file.rankerForest } : {}),
  };
}

export const DEFAULT_MODEL: AnswerModel = loadModel();
