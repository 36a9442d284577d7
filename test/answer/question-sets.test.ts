import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { judge, loadEvalFile } from "../../src/eval/eval.js";
import { useCorpusKkr } from "../helpers/index-fixture.js";

/**
 * A regression floor over every question set in bench/ (written by us, ~120 questions of
 * the kinds users ask): a change that breaks kinds of questions fails here, not one answer.
 */
const BENCH = resolve(import.meta.dirname, "../../bench");
const core = useCorpusKkr();

test("the bench question sets pass at 90% or better offline", async () => {
  const files = readdirSync(BENCH).filter((f) => /^eval-.*\.jsonl$/.test(f));
  assert.ok(files.length >= 2);
  let total = 0;
  let passed = 0;
  const failures: string[] = [];
  for (const f of files) {
    for (const c of loadEvalFile(join(BENCH, f))) {
      total++;
      const o = judge(c, await core.kkr.ask(c.question), []);
      if (o.pass) passed++;
      else failures.push(`${c.id}: ${o.failures.join("; ")}`);
    }
  }
  assert.ok(passed / total >= 0.9, `${passed}/${total}\n${failures.join("\n")}`);
});
