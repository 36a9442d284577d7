// Developer aid: shows how a question is analysed, what retrieval returns and how the
// evidence units score. Usage: node --import tsx scripts/debug-ask.ts DB "question"
import { scoreUnits } from "../src/answer/evidence.js";
import { loadConfig } from "../src/config.js";
import { Kkr } from "../src/kkr.js";
import { hybridSearch } from "../src/retrieval/search.js";

const [db, question] = process.argv.slice(2);
if (!db || !question) throw new Error("usage: debug-ask.ts DB QUESTION");
const kkr = await Kkr.open(loadConfig({ KKR_DB: db, KKR_LOG_LEVEL: "silent" }), {
  llmAnswerer: null,
  rewriter: null,
});
const a = await kkr.analyze(question);
console.log(
  JSON.stringify({
    type: a.type,
    concepts: a.concepts,
    region: a.region,
    dates: a.dates,
    entities: a.entities,
    fts: a.ftsQuery,
  }),
);
const { hits } = await hybridSearch(kkr.store, kkr.embedder, a, { k: Number(process.env.K ?? 10) });
const passages = hits.map((h, i) => ({ n: i + 1, chunk: h.chunk, score: h.score }));
for (const h of hits)
  console.log(
    `#${h.chunk.id} fts=${h.ftsRank} vec=${h.vectorRank} ${h.score.toFixed(4)} ${h.chunk.source} § ${h.chunk.section}`,
  );
const units = scoreUnits(passages, a)
  .sort((x, y) => y.score - x.score)
  .slice(0, 8);
for (const u of units)
  console.log(
    `${u.score.toFixed(3)} cov=${u.coverage.toFixed(2)} fit=${u.typeFit} ctx=${u.context.toFixed(2)} veto=${u.veto} [${u.passage.n}] ${u.text.slice(0, 110).replace(/\n/g, " ⏎ ")}`,
  );
const r = await kkr.ask(question);
console.log(r.answer);
await kkr.close();
