import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { judge, loadEvalFile } from "../../src/eval/eval.js";
import { useCorpusKkr } from "../helpers/index-fixture.js";

/**
 * A regression floor over every question set in bench/eval-*.jsonl (220 questions of the
 * kinds users ask, written by us over the reference corpus): a change that breaks kinds of
 * questions fails here, not one answer. A wrong answer is worse than a decline, so the floor
 * is on both: most questions right, almost none answered wrongly.
 */
const BENCH = resolve(import.meta.dirname, "../../bench");
const core = useCorpusKkr();

test("the bench question sets pass at 85% or better offline, with at most 3% wrong answers", async () => {
  const files = readdirSync(BENCH).filter((f) => /^eval-.*\.jsonl$/.test(f));
  assert.ok(files.length >= 2);
  let total = 0;
  let passed = 0;
  let wrong = 0;
  const failures: string[] = [];
  for (const f of files) {
    for (const c of loadEvalFile(join(BENCH, f))) {
      total++;
      const o = judge(c, await core.kkr.ask(c.question), []);
      if (o.pass) passed++;
      else failures.push(`${c.id}: ${o.failures.join("; ")}`);
      if (!o.pass && !o.abstained) wrong++;
    }
  }
  assert.ok(passed / total >= 0.85, `${passed}/${total}\n${failures.join("\n")}`);
  assert.ok(wrong / total <= 0.03, `${wrong} wrong answers of ${total}\n${failures.join("\n")}`);
});
