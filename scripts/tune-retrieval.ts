// Developer aid: answer recall of retrieval. For every question with expected answer
// strings, is a chunk containing one of them among the top k passages? Run with
// KKR_RRF_K / KKR_FTS_WEIGHT / KKR_VECTOR_WEIGHT / KKR_CANDIDATES to compare settings.
// Usage: node --import tsx scripts/tune-retrieval.ts DB FILE.jsonl [FILE2.jsonl…]

import { loadConfig } from "../src/config.js";
import { loadEvalFile } from "../src/eval/eval.js";
import { Kkr } from "../src/kkr.js";
import { CANDIDATES, FUSION, hybridSearch } from "../src/retrieval/search.js";

const [db, ...files] = process.argv.slice(2);
// the settings under test come from the environment of this script only
if (process.env.KKR_RRF_K) FUSION.rrfK = Number(process.env.KKR_RRF_K);
if (process.env.KKR_FTS_WEIGHT) FUSION.ftsWeight = Number(process.env.KKR_FTS_WEIGHT);
if (process.env.KKR_VECTOR_WEIGHT) FUSION.vectorWeight = Number(process.env.KKR_VECTOR_WEIGHT);
// candidates per list: KKR_CANDIDATES=N reads N from each list whatever k is
if (process.env.KKR_CANDIDATES)
  Object.assign(CANDIDATES, { perK: 0, min: Number(process.env.KKR_CANDIDATES) });
if (!db || files.length === 0) throw new Error("usage: tune-retrieval.ts DB FILE…");
const kkr = await Kkr.open(loadConfig({ KKR_DB: db, KKR_LOG_LEVEL: "silent" }), {
  llmAnswerer: null,
  rewriter: null,
});
const norm = (s: string) => s.toLowerCase().replace(/\s+/g, " ");
const ks = [1, 3, 5, 10];
const hitsAt = new Map(ks.map((k) => [k, 0]));
let n = 0;
let rr = 0;
for (const file of files) {
  for (const c of loadEvalFile(file)) {
    const expected = [...(c.expect_any ?? []), ...(c.expect_all ?? []).slice(0, 1)];
    if (expected.length === 0) continue;
    n++;
    const { hits } = await hybridSearch(kkr.store, kkr.embedder, await kkr.analyze(c.question), { k: 10 });
    const rank = hits.findIndex((h) => expected.some((e) => norm(h.chunk.text).includes(norm(e))));
    if (rank >= 0) rr += 1 / (rank + 1);
    for (const k of ks) if (rank >= 0 && rank < k) hitsAt.set(k, (hitsAt.get(k) ?? 0) + 1);
    if (process.env.VERBOSE && (rank < 0 || rank >= 5))
      console.log(`rank ${rank < 0 ? "-" : rank + 1}: ${c.question}`);
  }
}
await kkr.close();
console.log(
  `${JSON.stringify(FUSION)} candidates=${JSON.stringify(CANDIDATES)} n=${n} ${ks.map((k) => `R@${k}=${((hitsAt.get(k) ?? 0) / n).toFixed(2)}`).join(" ")} MRR=${(rr / n).toFixed(3)}`,
);
