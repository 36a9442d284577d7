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
  process.exitCode = reportError(error, wantsJson, context);
}

/**
 * The CLI edge: one message on stderr (a KkrError's whole message, which may list e.g. the
 * candidates of an ambiguous meeting; any other error's first line, no stack), and with
 * --json `{"error":{"code","message","details"}}` on stdout. Returns the exit code: 2 for
 * what the user can fix (bad flags included), 1 for the unexpected.
 */
function reportError(error: unknown, json: boolean, cli: CliContext | null): number {
  if (error instanceof CommanderError) {
    // --help and --version end this way too; commander has already printed its message
    if (error.exitCode === 0) return 0;
    if (json) {
      const message = error.message.replace(/^error: /, "");
      process.stdout.write(`${JSON.stringify({ error: { code: "BAD_ARGUMENT", message } })}\n`);
    }
    return 2;
  }
  const known = isKkrError(error) ? error : null;
  const code = known?.code ?? "UNEXPECTED";
  const message = known ? known.message : describeError(error);
  if (json) {
    const details = known?.details ? { details: known.details } : {};
    process.stdout.write(`${JSON.stringify({ error: { code, message, ...details } })}\n`);
  }
  process.stderr.write(`kkr: ${message}\n`);
  if (!known) cli?.logger.debug({ err: error }, "unexpected error");
  return known ? 2 : 1;
}
