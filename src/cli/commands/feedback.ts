import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { KkrError } from "../../errors.js";
import { feedbackEntries, filterFeedback, renderFeedback, toEvalCases } from "../../feedback/review.js";
import { KkrStore } from "../../store/store.js";
import { type CliContext, printJson } from "../context.js";
import { parseDateOption } from "../options.js";

interface FeedbackFlags {
  db?: string;
  since?: string;
  down?: boolean;
  json?: boolean;
  export?: string;
}

export function registerFeedback(program: Command, ctx: (opts: { db?: string }) => CliContext) {
  program
    .command("feedback")
    .description(
      "list the 👍/👎 votes from Slack (question, answer, sources, user, time); export them as eval cases",
    )
    .option("--db <uri>", "LanceDB path or URI (overrides KKR_DB)")
    .option("--since <date>", "only votes on or after this date", parseDateOption)
    .option("--down", "only 👎 votes")
    .option("--json", "print JSON on stdout")
    .option("--export <file>", "write the votes as evaluation cases (JSONL, for `kkr eval FILE`)")
    .action(async (opts: FeedbackFlags) => {
      const c = ctx({ db: opts.db });
      const store = await KkrStore.open(c.config.db, { store: c.config.store });
      try {
        const entries = filterFeedback(feedbackEntries(await store.feedback()), {
          ...(opts.since ? { since: opts.since } : {}),
          ...(opts.down ? { down: true } : {}),
        });
        if (opts.export) {
          const cases = toEvalCases(entries);
          try {
            writeFileSync(
              opts.export,
              cases.map((x) => JSON.stringify(x)).join("\n") + (cases.length ? "\n" : ""),
            );
          } catch (error) {
            throw new KkrError("BAD_ARGUMENT", `Cannot write ${opts.export}. Choose a writable file path.`, {
              cause: error,
            });
          }
          c.logger.info({ file: opts.export, cases: cases.length }, "feedback exported as eval cases");
        }
        if (opts.json) {
          const up = entries.filter((e) => e.vote === "up").length;
          printJson(c, {
            total: entries.length,
            up,
            down: entries.length - up,
            feedback: entries,
            ...(opts.export ? { exported: opts.export } : {}),
          });
        } else if (opts.export) {
          c.out(
            `Wrote ${toEvalCases(entries).length} eval cases to ${opts.export} (run: kkr eval ${opts.export})`,
          );
        } else c.out(renderFeedback(entries));
      } finally {
        store.close();
      }
    });
}
