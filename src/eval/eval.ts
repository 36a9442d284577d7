import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { z } from "zod";
import type { AskResult } from "../answer/types.js";
import { KkrError } from "../errors.js";

/** One line of an evaluation file (format: ../shared/eval/README.md). */
export const evalCaseSchema = z.object({
  id: z.string(),
  question: z.string(),
  expect_any: z.array(z.string()).optional(),
  expect_all: z.array(z.string()).optional(),
  expect_none: z.array(z.string()).optional(),
  expect_source: z.array(z.string()).optional(),
  expect_abstain: z.boolean().optional(),
});
export type EvalCase = z.infer<typeof evalCaseSchema>;

export interface EvalOutcome {
  id: string;
  question: string;
  pass: boolean;
  failures: string[];
  answer: string;
  abstained: boolean;
  sources: string[];
  /** Rank (1-based) of the first expected source among retrieved documents, or null. */
  sourceRank: number | null;
}

export interface EvalReport {
  file: string;
  total: number;
  passed: number;
  /** Answered, and the answer failed its checks (or the question had no answer): worse than a decline. */
  wrong: number;
  /** Answered (not declined) and passed. */
  answeredRight: number;
  /** Declined although the documents answer it (a decline whose closest passage holds the answer may still pass). */
  declined: number;
  /** Questions the documents don't answer, and how many of them were declined. */
  unanswerable: { total: number; declined: number };
  recallAt5: number | null;
  mrr: number | null;
  outcomes: EvalOutcome[];
}

export function loadEvalFile(path: string): EvalCase[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new KkrError("BAD_ARGUMENT", `Cannot read eval file ${path}. Pass a .jsonl file path.`, {
      cause: error,
    });
  }
  return text
    .split("\n")
    .map((l, i) => ({ l: l.trim(), i }))
    .filter(({ l }) => l !== "" && !l.startsWith("//"))
    .map(({ l, i }) => {
      try {
        return evalCaseSchema.parse(JSON.parse(l));
      } catch (error) {
        throw new KkrError(
          "BAD_ARGUMENT",
          `${path}:${i + 1} is not a valid eval case (${(error as Error).message.split("\n")[0]}).`,
        );
      }
    });
}

// Matching per the eval README: case-insensitive, whitespace runs folded, all dashes "-".
const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[‐‑–—]/g, "-")
    .replace(/\s+/g, " ");

export function judge(c: EvalCase, r: AskResult, retrievedSources: string[]): EvalOutcome {
  const answer = norm(r.answer);
  const failures: string[] = [];
  if (c.expect_any && !c.expect_any.some((e) => answer.includes(norm(e))))
    failures.push(`none of ${JSON.stringify(c.expect_any)}`);
  for (const e of c.expect_all ?? [])
    if (!answer.includes(norm(e))) failures.push(`missing ${JSON.stringify(e)}`);
  for (const e of c.expect_none ?? [])
    if (answer.includes(norm(e))) failures.push(`contains ${JSON.stringify(e)}`);
  const cited = r.citations.map((x) => basename(x.source));
  if (c.expect_source && !c.expect_source.some((s) => cited.includes(s)))
    failures.push(`no citation of ${c.expect_source.join(" / ")}`);
  if (c.expect_abstain !== undefined && c.expect_abstain !== r.abstained) {
    failures.push(c.expect_abstain ? "answered; expected an abstain" : "abstained");
  }
  let sourceRank: number | null = null;
  if (c.expect_source) {
    const idx = retrievedSources.findIndex((s) => c.expect_source?.includes(basename(s)));
    sourceRank = idx >= 0 ? idx + 1 : null;
  }
  return {
    id: c.id,
    question: c.question,
    pass: failures.length === 0,
    failures,
    answer: r.answer,
    abstained: r.abstained,
    sources: cited,
    sourceRank,
  };
}

export function summarize(file: string, outcomes: EvalOutcome[], cases: EvalCase[]): EvalReport {
  const withSource = outcomes.filter((_, i) => cases[i]?.expect_source);
  const recall = withSource.length
    ? withSource.filter((o) => o.sourceRank !== null && o.sourceRank <= 5).length / withSource.length
    : null;
  const mrr = withSource.length
    ? withSource.reduce((s, o) => s + (o.sourceRank ? 1 / o.sourceRank : 0), 0) / withSource.length
    : null;
  const failed = outcomes.filter((o) => !o.pass);
  const noAnswer = outcomes.filter((_, i) => cases[i]?.expect_abstain === true);
  return {
    file,
    total: outcomes.length,
    passed: outcomes.filter((o) => o.pass).length,
    wrong: failed.filter((o) => !o.abstained).length,
    answeredRight: outcomes.filter((o) => o.pass && !o.abstained).length,
    declined: outcomes.filter((o, i) => o.abstained && cases[i]?.expect_abstain !== true).length,
    unanswerable: { total: noAnswer.length, declined: noAnswer.filter((o) => o.abstained).length },
    recallAt5: recall,
    mrr,
    outcomes,
  };
}
