import "dotenv/config";
import { Command, CommanderError } from "commander";
import type { ConfigOverrides } from "../config.js";
import { describeError, isKkrError } from "../errors.js";
import { registerAsk } from "./commands/ask.js";
import { registerDocs } from "./commands/docs.js";
import { registerEval } from "./commands/eval.js";
import { registerFeedback } from "./commands/feedback.js";
import { registerIngest } from "./commands/ingest.js";
import { registerMeetings } from "./commands/meetings.js";
import { registerServe } from "./commands/serve.js";
import { registerStats } from "./commands/stats.js";
import { registerSync } from "./commands/sync.js";
import { type CliContext, makeContext } from "./context.js";

const program = new Command("kkr")
  .description("kkr-bot: questions, summaries and sources from Danish KKR documents")
  .version("0.1.0")
  .showHelpAfterError("(run `kkr --help` for usage)")
  .exitOverride();

const wantsJson = process.argv.includes("--json");
let context: CliContext | null = null;
const ctx = (opts: {
  db?: string | undefined;
  docs?: string | undefined;
  sources?: string | undefined;
}): CliContext => {
  const overrides: ConfigOverrides = { db: opts.db, docsDir: opts.docs, sources: opts.sources };
  context = makeContext(overrides);
  return context;
};

registerIngest(program, ctx);
registerStats(program, ctx);
registerDocs(program, ctx);
registerAsk(program, ctx);
registerEval(program, ctx);
registerMeetings(program, ctx);
registerServe(program, ctx);
registerFeedback(program, ctx);
registerSync(program, ctx);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    // One line for the user, no stack: the message says how to fix it.
    const code = isKkrError(error) ? error.code : "UNEXPECTED";
    const message = describeError(error);
    if (wantsJson) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
    process.stderr.write(`kkr: ${message}\n`);
    if (!isKkrError(error)) (context as CliContext | null)?.logger.debug({ err: error }, "unexpected error");
    process.exitCode = isKkrError(error) ? 2 : 1;
  }
}
