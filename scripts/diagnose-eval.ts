// Developer aid: for each question of an eval file that the extractive answerer gets wrong or
// declines, the decision confidence, the best units and where the unit holding the expected
// answer ranks (and its veto). Usage:
//   node --import tsx scripts/diagnose-eval.ts DB QUESTIONS.jsonl [--all]
import { basename } from "node:path";
import { type ScoredUnit, scoreUnits } from "../src/answer/evidence.js";
import { bestScore } from "../src/answer/extractive-answerer.js";
import { loadConfig } from "../src/config.js";
import { judge, loadEvalFile } from "../src/eval/eval.js";
import { Kkr } from "../src/kkr.js";

const [db, file] = process.argv.slice(2);
if (!db || !file) throw new Error("usage: diagnose-eval.ts DB QUESTIONS.jsonl [--all]");
const all = process.argv.includes("--all");
const kkr = await Kkr.open(loadConfig({ KKR_DB: db, KKR_LOG_LEVEL: "silent" }), {
  llmAnswerer: null,
  rewriter: null,
});
const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[‐‑–—]/g, "-")
    .replace(/\s+/g, " ");
const line = (u: ScoredUnit) =>
  `${u.score.toFixed(2)} fit=${u.typeFit} [${u.passage.n}] ${u.veto ?? "OK"} | ${u.text.slice(0, 110).replace(/\n/g, " / ")}`;
for (const c of loadEvalFile(file)) {
  const r = await kkr.ask(c.question);
  const j = judge(c, r, []);
  const verdict = c.expect_abstain
    ? r.abstained
      ? "ok"
      : "WRONG"
    : r.abstained
      ? "DECLINED"
      : j.pass
        ? "ok"
        : "WRONG";
  if (verdict === "ok" && !all) continue;
  const { analysis, passages } = await kkr.retrieve(c.question);
  const units = scoreUnits(passages, analysis).sort((a, b) => b.score - a.score);
  const want = [...(c.expect_any ?? []), ...(c.expect_all ?? [])].map(norm);
  const holds = (u: ScoredUnit) =>
    want.some((w) => norm(u.text).includes(w)) &&
    (!c.expect_source || c.expect_source.includes(basename(u.passage.chunk.source)));
  const conf = bestScore({
    question: c.question,
    language: analysis.language,
    terms: analysis.terms,
    passages,
    analysis,
  });
  console.log(
    `\n${verdict} ${c.id} conf=${conf.toFixed(2)} type=${analysis.type} ${c.question}\n  want ${JSON.stringify(c.expect_any ?? c.expect_all ?? "abstain")}`,
  );
  for (const u of units.filter((u) => u.veto === null).slice(0, 3)) console.log(`  ${line(u)}`);
  const i = units.findIndex(holds);
  const ok = units.filter((u) => u.veto === null);
  if (i >= 0) console.log(`  answer unit (#${ok.indexOf(units[i]!) + 1} of ok): ${line(units[i]!)}`);
  else if (!c.expect_abstain) console.log("  no unit holds the answer");
}
await kkr.close();
