// The answer stage alone (what `ask` spends after retrieval: the extractive answerer and the
// outline answer, `timings_ms.answer`) over one index, in its own process: prints JSON.
// "first" is each question's first ask (nothing about it cached yet) in a process that has
// answered one other question (loaded the dictionary, compiled the code: the cold process
// is `kkr ask`'s figure); "repeat" the same questions asked again `ROUNDS` times (per-token
// and per-chunk caches warm).
// Usage: node --import tsx bench/answer-stage.ts DB_DIR [QUESTIONS.jsonl] [ROUNDS]
// Without a questions file it asks the benchmark questions (bench/bench-questions.ts).
import { readFileSync } from "node:fs";
import { loadConfig } from "../src/config.js";
import { Kkr } from "../src/kkr.js";
import { BENCH_QUESTIONS } from "./bench-questions.js";

const [db, file, roundsArg] = process.argv.slice(2);
if (!db) throw new Error("usage: answer-stage.ts DB_DIR [QUESTIONS.jsonl] [ROUNDS]");
const rounds = Number(roundsArg ?? 5);
const questions = file
  ? readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { question: string }).question)
  : BENCH_QUESTIONS;
/** Not among the measured questions: loads what the first answer loads. */
const WARM_UP = "Hvem blev valgt som formand for udvalget for kultur og fritid?";
const config = loadConfig({ KKR_DB: db, KKR_LOG_LEVEL: "silent" });
const kkr = await Kkr.open(config, { llmAnswerer: null, rewriter: null });
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
// answers of multi-part questions carry no stage timings: only single questions count
const stage = async (q: string) => (await kkr.ask(q)).timings_ms?.answer;
await kkr.ask(WARM_UP);
const first: number[] = [];
const cpu0 = process.cpuUsage();
for (const q of questions) {
  const t = await stage(q);
  if (t !== undefined) first.push(t);
}
const repeat: number[] = [];
for (let r = 0; r < rounds; r++)
  for (const q of questions) {
    const t = await stage(q);
    if (t !== undefined) repeat.push(t);
  }
const cpu = process.cpuUsage(cpu0);
await kkr.close();
process.stdout.write(
  `${JSON.stringify({
    questions: questions.length,
    timed: first.length,
    firstP50: pct(first, 50),
    firstP95: pct(first, 95),
    repeatP50: pct(repeat, 50),
    repeatP95: pct(repeat, 95),
    cpuSecondsAll: (cpu.user + cpu.system) / 1e6,
  })}\n`,
);
