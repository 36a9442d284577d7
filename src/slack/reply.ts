import type { webApi } from "@slack/bolt";
import { type Route, routeInput } from "../chat/route.js";
import { sanitizeQuestion } from "../text/sanitize.js";
import type { Language } from "../types.js";
import { type BotContext, errorForLog, isSlackAuthError, withTimeout } from "./bot-context.js";
import { channelRegion, runConfig } from "./channel-config.js";
import { renderNotice, type SlackMessage } from "./render.js";
import { uiStrings } from "./strings.js";
import { ANSWER_METADATA_TYPE, loadThreadHistory } from "./thread-context.js";
import { runTurn } from "./turn.js";

/**
 * Answering a message (mention, DM, group DM): routed like every chat (`find …`,
 * `opsummer …`, `hjælp`, questions); a placeholder right away, then the reply in its place;
 * on any failure the placeholder becomes a short apology, never left dangling.
 */

export interface Conversation {
  channel: string;
  user: string;
  /** The question as plain text (bot mention removed, Slack markup undone). */
  question: string;
  /** The user's message. */
  messageTs: string;
  /** The thread the message is in, if any (for history). */
  threadTs?: string | undefined;
  /** Where the answer goes: a thread, or undefined for top level (DMs). */
  replyThreadTs?: string | undefined;
  isDm: boolean;
}

type Client = webApi.WebClient;

/** Metadata on the bot's answers; thread-context reads it back for follow-ups. */
export function answerMetadata(question: string) {
  return { event_type: ANSWER_METADATA_TYPE, event_payload: { question: question.slice(0, 1_000) } };
}

/** Checks that apply to every question (empty, too long, rate limit); returns a reply to give instead. */
export function precheck(ctx: BotContext, user: string, question: string, language: Language): string | null {
  const s = uiStrings(language);
  // judged as the core will see it: zero-width spaces alone are no question
  const q = sanitizeQuestion(question);
  if (!q) return s.emptyQuestion;
  if (q.length > ctx.maxQuestionChars) return s.tooLong(ctx.maxQuestionChars);
  const decision = ctx.limiter.take(user);
  if (!decision.ok) return s.rateLimited(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
  return null;
}

/** A short notice to the asker: ephemeral in channels (no noise for others), a message in DMs. */
async function notify(client: Client, conv: Conversation, text: string): Promise<void> {
  const message = renderNotice(text);
  if (conv.isDm) {
    await client.chat.postMessage({ channel: conv.channel, thread_ts: conv.replyThreadTs, ...message });
  } else {
    await client.chat.postEphemeral({
      channel: conv.channel,
      user: conv.user,
      thread_ts: conv.replyThreadTs,
      ...message,
    });
  }
}

/** Help, usage and settings replies: no core call, no placeholder, no rate limit. */
export function isQuickRoute(route: Route): boolean {
  return route.kind === "help" || route.kind === "config" || (route.kind !== "ask" && route.text === "");
}

export async function answerConversation(ctx: BotContext, client: Client, conv: Conversation): Promise<void> {
  const route = routeInput(conv.question);
  const language = route.language ?? ctx.service.language(conv.question);
  const s = uiStrings(language);
  const log = ctx.logger.child({ channel: conv.channel, ts: conv.messageTs });
  const tell = async (text: string) => {
    try {
      await notify(client, conv, text);
    } catch (error) {
      log.warn(errorForLog(error), "slack: could not send a notice");
      if (isSlackAuthError(error)) ctx.fatal(error);
    }
  };

  if (route.kind === "config") {
    await tell(
      await runConfig(ctx, client, { channel: conv.channel, user: conv.user, text: route.text, language }),
    );
    return;
  }
  if (isQuickRoute(route)) {
    await tell(route.kind === "help" ? s.help : route.kind === "find" ? s.findUsage : s.summaryUsage);
    return;
  }
  const refusal = precheck(ctx, conv.user, conv.question, language);
  if (refusal !== null) {
    await tell(refusal);
    return;
  }

  const history = conv.threadTs
    ? await loadThreadHistory(
        client,
        {
          channel: conv.channel,
          threadTs: conv.threadTs,
          currentTs: conv.messageTs,
          isDm: conv.isDm,
          bot: ctx.bot,
        },
        log,
      )
    : null;

  let placeholderTs: string | undefined;
  try {
    const placeholder = await client.chat.postMessage({
      channel: conv.channel,
      thread_ts: conv.replyThreadTs,
      text: s.searching,
      metadata: answerMetadata(conv.question),
    });
    placeholderTs = placeholder.ts;
  } catch (error) {
    log.error(errorForLog(error), "slack: could not post the placeholder");
    if (isSlackAuthError(error)) ctx.fatal(error);
    return;
  }

  await ctx.track(async (stopSignal) => {
    const started = ctx.now();
    try {
      const defaultRegion = await channelRegion(ctx, conv.channel);
      const turn = await withTimeout(ctx.askTimeoutMs, stopSignal, (signal) =>
        runTurn(ctx, route, {
          user: conv.user,
          signal,
          defaultRegion,
          ...(history && history.length > 0 ? { history } : {}),
        }),
      );
      await deliver(client, conv, placeholderTs, turn.messages, turn.result?.question || conv.question);
      log.info(
        {
          route: route.kind,
          mode: turn.result?.mode,
          abstained: turn.result?.abstained,
          citations: turn.result?.citations.length,
          defaultRegion: turn.result?.defaultRegion,
          history: history?.length ?? 0,
          ms: ctx.now() - started,
        },
        "slack: answered",
      );
    } catch (error) {
      log.error({ ...errorForLog(error), ms: ctx.now() - started }, "slack: answering failed");
      if (isSlackAuthError(error)) {
        ctx.fatal(error);
        return;
      }
      await apologise(ctx, client, conv, placeholderTs, s.apology);
    }
  });
}

async function deliver(
  client: Client,
  conv: Conversation,
  placeholderTs: string | undefined,
  messages: SlackMessage[],
  question: string,
): Promise<void> {
  const [first, ...rest] = messages;
  if (!first) return;
  const metadata = answerMetadata(question);
  if (placeholderTs) {
    await client.chat.update({ channel: conv.channel, ts: placeholderTs, ...first, metadata });
  } else {
    await client.chat.postMessage({
      channel: conv.channel,
      thread_ts: conv.replyThreadTs,
      ...first,
      metadata,
    });
  }
  // Continuations go into the same thread (or start one under a top-level DM answer).
  const threadTs = conv.replyThreadTs ?? placeholderTs;
  for (const message of rest) {
    await client.chat.postMessage({ channel: conv.channel, thread_ts: threadTs, ...message });
  }
}

async function apologise(
  ctx: BotContext,
  client: Client,
  conv: Conversation,
  placeholderTs: string | undefined,
  text: string,
): Promise<void> {
  const message = renderNotice(text);
  try {
    if (placeholderTs) await client.chat.update({ channel: conv.channel, ts: placeholderTs, ...message });
    else await client.chat.postMessage({ channel: conv.channel, thread_ts: conv.replyThreadTs, ...message });
  } catch (error) {
    ctx.logger.error(errorForLog(error), "slack: could not replace the placeholder with an apology");
    if (!placeholderTs) return;
    // Last resort: remove the "Searching…" message rather than leave it hanging.
    try {
      await client.chat.delete({ channel: conv.channel, ts: placeholderTs });
    } catch (deleteError) {
      ctx.logger.error(errorForLog(deleteError), "slack: could not delete the placeholder");
    }
  }
}
