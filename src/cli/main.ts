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
