import type { RespondArguments, webApi } from "@slack/bolt";
import { type Route, routeInput } from "../chat/route.js";
import type { Language } from "../types.js";
import { type BotContext, errorForLog, isSlackAuthError, withTimeout } from "./bot-context.js";
import { channelRegion, runConfig } from "./channel-config.js";
import { slackToPlain } from "./escape.js";
import { renderNotice, type SlackMessage } from "./render.js";
import { precheck } from "./reply.js";
import { uiStrings } from "./strings.js";
import { runTurn } from "./turn.js";

/**
 * `/kkr QUESTION | find QUERY | summary MEETING | config region REGION | help`: the shared
 * routing (src/chat/route.ts), replies ephemeral (the asker can post an answer to the
 * channel), a channel setting changed by those allowed to.
 */

export interface SlashIO {
  ack(message?: RespondArguments): Promise<void>;
  respond(message: RespondArguments): Promise<unknown>;
}

export interface SlashInput {
  text: string;
  user: string;
  channel: string;
}

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
  route: Route,
  language: Language,
): Promise<void> {
  const s = uiStrings(language);
  const refusal = precheck(ctx, input.user, route.text, language);
  if (refusal !== null) {
    await io.ack(ephemeral(renderNotice(refusal), false));
    return;
  }
  await io.ack(ephemeral(renderNotice(s.searching), false));
  await ctx.track(async (stopSignal) => {
    try {
      const defaultRegion = await channelRegion(ctx, input.channel);
      const turn = await withTimeout(ctx.askTimeoutMs, stopSignal, (signal) =>
        runTurn(ctx, route, { user: input.user, signal, defaultRegion, ephemeral: true }),
      );
      let first = true;
      for (const message of turn.messages) {
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

export async function runKkrCommand(
  ctx: BotContext,
  client: webApi.WebClient,
  io: SlashIO,
  input: SlashInput,
): Promise<void> {
  const route = routeInput(slackToPlain(input.text));
  const language = route.language ?? (route.text ? ctx.service.language(route.text) : "da");
  const s = uiStrings(language);
  if (route.kind === "help") {
    await io.ack(ephemeral(renderNotice(s.help), false));
    return;
  }
  if (route.kind === "config") {
    // Checking who may change the channel takes Web API calls: ack first, answer after.
    await io.ack();
    const text = await runConfig(ctx, client, {
      channel: input.channel,
      user: input.user,
      text: route.text,
      language,
    }).catch((error: unknown) => {
      ctx.logger.error(errorForLog(error), "slack: /kkr config failed");
      return s.apology;
    });
    await io.respond(ephemeral(renderNotice(text), false));
    return;
  }
  if (route.kind !== "ask" && route.text === "") {
    await io.ack(ephemeral(renderNotice(route.kind === "find" ? s.findUsage : s.summaryUsage), false));
    return;
  }
  await withPlaceholder(ctx, io, input, route, language);
}
