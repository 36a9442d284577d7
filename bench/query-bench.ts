// Warm query latency over an existing index, in its own process: prints JSON.
// Usage: node --import tsx bench/query-bench.ts DB_DIR [ROUNDS]
import { loadConfig } from "../src/config.js";
import { Kkr } from "../src/kkr.js";
import { analyzeQuery } from "../src/retrieval/query.js";
import { hybridSearch } from "../src/retrieval/search.js";

const [db, roundsArg] = process.argv.slice(2);
if (!db) throw new Error("usage: query-bench.ts DB_DIR [ROUNDS]");
const rounds = Number(roundsArg ?? 5);
const QUESTIONS = [
  "who represents Syddanmark in DEB?",
  "Hvem er formand for KKR Sjælland?",
  "Hvornår skal Rammeaftale 2021-2022 være endeligt godkendt i Syddanmark?",
  "How many special psychiatric places are there in Syddanmark?",
  "Hvilke tre temaer er valgt i den syddanske rammeaftale 2021-2022?",
  "Hvem er udpeget til styregruppen for DK2020?",
  "Hvor mange kommuner deltager i indsatsen for praktikpladser?",
  "What was decided about kollektiv trafik?",
];
const config = loadConfig({ KKR_DB: db, KKR_LOG_LEVEL: "silent" });
const kkr = await Kkr.open(config, { llmAnswerer: null, rewriter: null });
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
// warm-up: opens tables, loads indices into the cache
for (const q of QUESTIONS) await kkr.ask(q);
const retrieval: number[] = [];
const answer: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const q of QUESTIONS) {
    const t0 = performance.now();
    await hybridSearch(kkr.store, kkr.embedder, analyzeQuery(q), { k: 6 });
    retrieval.push(performance.now() - t0);
    const t1 = performance.now();
    await kkr.ask(q);
    answer.push(performance.now() - t1);
  }
}
await kkr.close();
process.stdout.write(
  `${JSON.stringify({
    queries: retrieval.length,
    retrievalP50: pct(retrieval, 50),
    retrievalP95: pct(retrieval, 95),
    answerP50: pct(answer, 50),
    answerP95: pct(answer, 95),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
