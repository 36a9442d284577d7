// Developer aid: the vetoes and scores of the evidence units for a question.
// Usage: node --import tsx scripts/debug-veto.ts DB "question"
import { scoreUnits } from "../src/answer/evidence.js";
import { bestScore } from "../src/answer/extractive-answerer.js";
import { loadConfig } from "../src/config.js";
import { Kkr } from "../src/kkr.js";

const [db, question] = process.argv.slice(2);
if (!db || !question) throw new Error("usage: debug-veto.ts DB QUESTION");
const kkr = await Kkr.open(loadConfig({ KKR_DB: db, KKR_LOG_LEVEL: "silent" }), {
  llmAnswerer: null,
  rewriter: null,
});
const { analysis, passages } = await kkr.retrieve(question);
console.log(
  JSON.stringify({
    type: analysis.type,
    concepts: analysis.concepts,
    entities: analysis.entities,
    dates: analysis.dates,
    region: analysis.region,
  }),
);
const units = scoreUnits(passages, analysis).sort((a, b) => b.score - a.score);
for (const u of units.slice(0, Number(process.env.N ?? 12)))
  console.log(
    `${u.score.toFixed(2)} fit=${u.typeFit} [${u.passage.n}] ${u.veto ?? "OK"} | ${u.text.slice(0, 100).replace(/\n/g, " / ")}`,
  );
console.log(
  `decision confidence ${bestScore({ question, language: analysis.language, terms: analysis.terms, passages, analysis }).toFixed(3)}`,
);
await kkr.close();
