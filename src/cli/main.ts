import "dotenv/config";
import { Command, CommanderError } from "commander";
import type { ConfigOverrides } from "../config.js";
import { describeError, isKkrError } from "../errors.js";
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

type Register = (
  program: Command,
  ctx: (opts: { db?: string; docs?: string; sources?: string }) => CliContext,
) => void;
/**
 * Commands are loaded on demand: `kkr ask` doesn't pay for what serve, sync or feedback import
 * (Bolt, openai, htmlparser2, …). Help, or an unknown command, loads them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  ingest: async () => (await import("./commands/ingest.js")).registerIngest,
  stats: async () => (await import("./commands/stats.js")).registerStats,
  docs: async () => (await import("./commands/docs.js")).registerDocs,
  ask: async () => (await import("./commands/ask.js")).registerAsk,
  eval: async () => (await import("./commands/eval.js")).registerEval,
  meetings: async () => (await import("./commands/meetings.js")).registerMeetings,
  serve: async () => (await import("./commands/serve.js")).registerServe,
  feedback: async () => (await import("./commands/feedback.js")).registerFeedback,
  sync: async () => (await import("./commands/sync.js")).registerSync,
};
// commands registered by another command's module
COMMANDS.find = COMMANDS.ask as () => Promise<Register>;
COMMANDS.summary = COMMANDS.meetings as () => Promise<Register>;
const named = process.argv.slice(2).find((a) => !a.startsWith("-"));
const load = named && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
const registered = new Set<() => Promise<Register>>();
for (const name of load) {
  const loader = COMMANDS[name] as () => Promise<Register>;
  if (registered.has(loader)) continue;
  registered.add(loader);
  (await loader())(program, ctx);
}
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
