import { type ChatReply, respond } from "../chat/respond.js";
import type { Route } from "../chat/route.js";
import type { KkrAnswer } from "../service.js";
import type { Region } from "../types.js";
import type { BotContext } from "./bot-context.js";
import { type FindRow, renderAnswer, renderFind, renderNotice, type SlackMessage } from "./render.js";
import { uiStrings } from "./strings.js";

/**
 * One chat turn in Slack, wherever it was typed (mention, DM, assistant pane, `/kkr`): the
 * shared routing and core call (src/chat), rendered as Block Kit.
 */

export interface TurnInput {
  user: string;
  history?: { question: string; answer?: string }[];
  signal: AbortSignal;
  /** The channel's default region, read into questions that name none. */
  defaultRegion: Region | null;
  /** Slash-command replies are ephemeral (with a "Post to channel" button). */
  ephemeral?: boolean;
}

export interface Turn {
  reply: ChatReply;
  messages: SlackMessage[];
  /** The answer, when the turn asked a question or a summary. */
  result: KkrAnswer | null;
}

export async function runTurn(ctx: BotContext, route: Route, input: TurnInput): Promise<Turn> {
  const reply = await respond(ctx.service, route, {
    signal: input.signal,
    defaultRegion: input.defaultRegion,
    ...(input.history ? { history: input.history } : {}),
  });
  if (route.kind !== "help" && route.text) ctx.recent.add(input.user, asTyped(route), ctx.now());
  return {
    reply,
    messages: await renderReply(ctx, reply, route, input),
    result: reply.kind === "answer" ? reply.result : null,
  };
}

async function renderReply(
  ctx: BotContext,
  reply: ChatReply,
  route: Route,
  input: TurnInput,
): Promise<SlackMessage[]> {
  const s = uiStrings(reply.language);
  switch (reply.kind) {
    case "help":
      return [renderNotice(s.help)];
    case "usage":
      return [renderNotice(reply.command === "find" ? s.findUsage : s.summaryUsage)];
    case "find": {
      const rows: FindRow[] = await Promise.all(
        reply.hits.map(async (hit) => {
          const file = await ctx.service.sourceFile(hit.source).catch(() => null);
          return { hit, shareable: Boolean(file?.path) };
        }),
      );
      return [renderFind(reply.query, rows, reply.language)];
    }
    case "answer":
      return renderAnswer(reply.result, {
        language: reply.language,
        question: asTyped(route),
        answerId: ctx.cache.put(reply.result),
        ...(input.ephemeral ? { ephemeral: true } : {}),
        defaultRegion: reply.result.defaultRegion ?? null,
      });
  }
}

/** The line as the user would type it again ("opsummer …", "find …", the question). */
function asTyped(route: Route): string {
  if (route.kind === "summary") return `${route.language === "en" ? "summary" : "opsummer"} ${route.text}`;
  if (route.kind === "find") return `find ${route.text}`;
  return route.text;
}
