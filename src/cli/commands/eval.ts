import type { Command } from "commander";
import { type EvalOutcome, judge, loadEvalFile, summarize } from "../../eval/eval.js";
import { Kkr } from "../../kkr.js";
import { type CliContext, printJson } from "../context.js";

export function registerEval(program: Command, ctx: (opts: { db?: string }) => CliContext) {
  program
    .command("eval")
    .description(
      "run an evaluation file (JSONL, see ../shared/eval/README.md) and report pass/fail, recall@5, MRR",
    )
    .argument("<file>", "questions, one JSON object per line")
    .option("--db <uri>", "LanceDB path or URI (overrides KKR_DB)")
    .option("--json", "print the report as JSON on stdout")
    .option("--mode <mode>", "extractive or llm")
    .action(async (file: string, opts: { db?: string; json?: boolean; mode?: "extractive" | "llm" }) => {
      const c = ctx({ db: opts.db });
      const cases = loadEvalFile(file);
      const kkr = await Kkr.open(c.config, { logger: c.logger });
      try {
        const outcomes: EvalOutcome[] = [];
        for (const ec of cases) {
          const result = await kkr.ask(ec.question, opts.mode ? { mode: opts.mode } : {});
          const docs = await kkr.retrieveDocuments(ec.question, 10);
          const o = judge(ec, result, docs);
          outcomes.push(o);
          if (!opts.json) {
            c.out(`${o.pass ? "PASS" : "FAIL"} ${o.id}  ${o.question}`);
            c.out(`     ${o.answer.replace(/\n/g, "\n     ")}`);
            if (!o.pass) c.out(`     ✗ ${o.failures.join("; ")}`);
          }
        }
        const report = summarize(file, outcomes, cases);
        if (opts.json) printJson(c, report);
        else {
          const pct = (x: number | null) => (x === null ? "-" : x.toFixed(2));
          c.out(
            `\n${report.passed}/${report.total} passed (${report.answeredRight} answered right) · ${report.wrong} wrong answers · ${report.declined} declined although answerable · ` +
              `unanswerable declined ${report.unanswerable.declined}/${report.unanswerable.total} · recall@5 ${pct(report.recallAt5)} · MRR ${pct(report.mrr)}`,
          );
        }
        if (report.passed < report.total) process.exitCode = 1;
      } finally {
        await kkr.close();
      }
    });
}
