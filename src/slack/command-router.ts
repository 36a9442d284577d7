import type { RespondArguments } from "@slack/bolt";
import type { AskResult } from "../answer/types.js";
import type { KkrService } from "../service.js";
import type { Citation, Language } from "../types.js";
import { type BotContext, errorForLog, isSlackAuthError, withTimeout } from "./bot-context.js";
import { slackToPlain } from "./escape.js";
import { type FindRow, renderAnswer, renderFind, renderNotice, type SlackMessage } from "./render.js";
import { precheck } from "./reply.js";
import { uiStrings } from "./strings.js";

/**
 * `/kkr QUESTION | find QUERY | summary MEETING | help`. Each subcommand is one entry in
 * HANDLERS; replies are ephemeral (the asker can post an answer to the channel).
 */

export type KkrCommand =
  | { kind: "help"; text: string }
  | { kind: "ask"; text: string }
  | { kind: "find"; text: string }
  | { kind: "summary"; text: string };

const SUBCOMMANDS: Record<string, KkrCommand["kind"]> = {
  help: "help",
  hjælp: "help",
  hjaelp: "help",
  "?": "help",
  find: "find",
  søg: "find",
  sog: "find",
  search: "find",
  summary: "summary",
  opsummer: "summary",
  opsummering: "summary",
  resume: "summary",
  resumé: "summary",
};

export function parseKkrCommand(raw: string): KkrCommand {
  const text = raw.trim();
  const match = /^(\S+)(?:\s+([\s\S]*))?$/.exec(text);
  const word = match?.[1]?.toLowerCase() ?? "";
  const kind = SUBCOMMANDS[word];
  if (kind === "help" && !match?.[2]) return { kind: "help", text: "" };
  if (kind && kind !== "help") return { kind, text: (match?.[2] ?? "").trim() };
  if (!text) return { kind: "help", text: "" };
  return { kind: "ask", text };
}

/** The summaries issue adds `summary` to the service; until then the command says so. */
export type SummaryFn = (ref: string, options?: { signal?: AbortSignal }) => Promise<unknown>;

export function summaryOf(service: KkrService): SummaryFn | null {
  const candidate = (service as unknown as { summary?: unknown }).summary;
  return typeof candidate === "function" ? (candidate.bind(service) as SummaryFn) : null;
}

/** Accepts an AskResult-like summary ({answer|text|markdown, citations?}) or a plain string. */
export function summaryToAskResult(value: unknown, ref: string, language: Language): AskResult {
  const base: AskResult = {
    question: ref,
    answer: "",
    abstained: false,
    mode: "summary",
    language,
    citations: [],
    closest: [],
    timings_ms: {},
  };
  if (typeof value === "string") return { ...base, answer: value };
  if (typeof value !== "object" || value === null) return base;
  const v = value as Record<string, unknown>;
  const answer = [v.answer, v.text, v.markdown].find((x): x is string => typeof x === "string") ?? "";
  const citations = Array.isArray(v.citations) ? (v.citations as Citation[]) : [];
  return {
    ...base,
    answer,
    citations,
    abstained: v.abstained === true,
    closest: Array.isArray(v.closest) ? (v.closest as AskResult["closest"]) : [],
    ...(typeof v.note === "string" ? { note: v.note } : {}),
  };
}

export interface SlashIO {
  ack(message?: RespondArguments): Promise<void>;
  respond(message: RespondArguments): Promise<unknown>;
}

export interface SlashInput {
  text: string;
  user: string;
  channel: string;
}

type Handler = (ctx: BotContext, io: SlashIO, input: SlashInput, cmd: KkrCommand) => Promise<void>;

function ephemeral(message: SlackMessage, replace: boolean): RespondArguments {
  return {
    response_type: "ephemeral",
    replace_original: replace,
    text: message.text,
    blocks: message.blocks,
  };
}

/** Ack at once with a placeholder, then replace it with the result (or an apology). */
async function withPlaceholder(
  ctx: BotContext,
  io: SlashIO,
  input: SlashInput,
  question: string,
  work: (signal: AbortSignal, language: Language) => Promise<SlackMessage[]>,
): Promise<void> {
  const language = ctx.service.language(question);
  const s = uiStrings(language);
  const refusal = precheck(ctx, input.user, question, language);
  if (refusal !== null) {
    await io.ack(ephemeral(renderNotice(refusal), false));
    return;
  }
  await io.ack(ephemeral(renderNotice(s.searching), false));
  await ctx.track(async (stopSignal) => {
    try {
      const messages = await withTimeout(ctx.askTimeoutMs, stopSignal, (signal) => work(signal, language));
      let first = true;
      for (const message of messages) {
        await io.respond(ephemeral(message, first));
        first = false;
      }
    } catch (error) {
      ctx.logger.error({ ...errorForLog(error), channel: input.channel }, "slack: /kkr failed");
      if (isSlackAuthError(error)) ctx.fatal(error);
      try {
        await io.respond(ephemeral(renderNotice(s.apology), true));
      } catch (respondError) {
        ctx.logger.error(errorForLog(respondError), "slack: could not send the /kkr apology");
      }
    }
  });
}

const help: Handler = async (ctx, io, input) => {
  const language = input.text ? ctx.service.language(input.text) : "da";
  await io.ack(ephemeral(renderNotice(uiStrings(language).help), false));
};

const ask: Handler = (ctx, io, input, cmd) =>
  withPlaceholder(ctx, io, input, cmd.text, async (signal, language) => {
    const result = await ctx.service.ask(cmd.text, { signal });
    return renderAnswer(result, {
      language,
      question: cmd.text,
      answerId: ctx.cache.put(result),
      ephemeral: true,
    });
  });

const find: Handler = (ctx, io, input, cmd) =>
  withPlaceholder(ctx, io, input, cmd.text, async (signal, language) => {
    const hits = await ctx.service.find(cmd.text, { k: 8, signal });
    const rows: FindRow[] = await Promise.all(
      hits.map(async (hit) => {
        const file = await ctx.service.sourceFile(hit.source).catch(() => null);
        return { hit, shareable: Boolean(file?.path) };
      }),
    );
    return [renderFind(cmd.text, rows, language)];
  });

const summary: Handler = async (ctx, io, input, cmd) => {
  const summarise = summaryOf(ctx.service);
  if (!summarise) {
    const language = cmd.text ? ctx.service.language(cmd.text) : "da";
    await io.ack(ephemeral(renderNotice(uiStrings(language).summaryUnavailable), false));
    return;
  }
  await withPlaceholder(ctx, io, input, cmd.text, async (signal, language) => {
    const result = summaryToAskResult(await summarise(cmd.text, { signal }), cmd.text, language);
    return renderAnswer(result, {
      language,
      question: `summary ${cmd.text}`,
      answerId: ctx.cache.put(result),
      ephemeral: true,
    });
  });
};

const HANDLERS: Record<KkrCommand["kind"], Handler> = { help, ask, find, summary };

export async function runKkrCommand(ctx: BotContext, io: SlashIO, input: SlashInput): Promise<void> {
  const cmd = parseKkrCommand(slackToPlain(input.text));
  await HANDLERS[cmd.kind](ctx, io, input, cmd);
}
