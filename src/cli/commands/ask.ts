import type { Command } from "commander";
import type { AskResult } from "../../answer/types.js";
import { Kkr } from "../../kkr.js";
import { sanitizeQuestion } from "../../text/sanitize.js";
import type { Region } from "../../types.js";
import { type CliContext, printJson } from "../context.js";
import { parseDateOption, parseK, parseMode, parseRegionOption } from "../options.js";
import { renderAnswer, renderFind } from "../render.js";

/** The documented, stable `kkr ask --json` shape (README "JSON output"). */
export function askJson(r: AskResult) {
  return {
    question: r.question,
    answer: r.answer,
    abstained: r.abstained,
    mode: r.mode,
    citations: r.citations,
    timings_ms: r.timings_ms,
    language: r.language,
    closest: r.closest,
    ...(r.note ? { note: r.note } : {}),
  };
}

interface AskFlags {
  db?: string;
  json?: boolean;
  k?: number;
  region?: Region;
  since?: string;
  until?: string;
  mode?: "extractive" | "llm";
}

export function registerAsk(program: Command, ctx: (opts: { db?: string }) => CliContext) {
  program
    .command("ask")
    .description("answer a question from the documents, with cited passages")
    .argument("<question>", "the question, in Danish or English")
    .option("--db <uri>", "LanceDB path or URI (overrides KKR_DB)")
    .option("--json", "print one JSON object on stdout")
    .option("--k <n>", "passages to retrieve (1-50)", parseK)
    .option("--region <region>", "only documents from this KKR region", parseRegionOption)
    .option("--since <date>", "only documents dated on or after", parseDateOption)
    .option("--until <date>", "only documents dated on or before", parseDateOption)
    .option("--mode <mode>", "extractive (offline) or llm", parseMode)
    .action(async (raw: string, opts: AskFlags) => {
      const question = sanitizeQuestion(raw);
      const c = ctx({ db: opts.db });
      const kkr = await Kkr.open(c.config, { logger: c.logger });
      try {
        const result = await kkr.ask(question, {
          ...(opts.k ? { k: opts.k } : {}),
          ...(opts.region ? { region: opts.region } : {}),
          ...(opts.since ? { since: opts.since } : {}),
          ...(opts.until ? { until: opts.until } : {}),
          ...(opts.mode ? { mode: opts.mode } : {}),
        });
        if (opts.json) {
          printJson(c, askJson(result));
        } else c.out(renderAnswer(result));
      } finally {
        await kkr.close();
      }
    });

  program
    .command("find")
    .description("find the source documents that match a query")
    .argument("<query>", "what to look for")
    .option("--db <uri>", "LanceDB path or URI (overrides KKR_DB)")
    .option("--json", "print JSON on stdout")
    .option("--k <n>", "documents to list (1-50)", parseK)
    .action(async (raw: string, opts: { db?: string; json?: boolean; k?: number }) => {
      const query = sanitizeQuestion(raw);
      const c = ctx({ db: opts.db });
      const kkr = await Kkr.open(c.config, { logger: c.logger });
      try {
        const hits = await kkr.find(query, { k: opts.k ?? 10 });
        if (opts.json) printJson(c, { query, documents: hits });
        else c.out(renderFind(hits, kkr.language(query)));
      } finally {
        await kkr.close();
      }
    });
}
