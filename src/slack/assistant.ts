import { Assistant, type AssistantConfig, type webApi } from "@slack/bolt";
import { routeInput } from "../chat/route.js";
import { suggestedPrompts } from "../chat/suggestions.js";
import type { Language, Region } from "../types.js";
import { type BotContext, errorForLog, isSlackAuthError, withTimeout } from "./bot-context.js";
import { channelRegion, runConfig } from "./channel-config.js";
import { Deduper } from "./dedupe.js";
import { slackToPlain } from "./escape.js";
import { type IncomingMessage, isDuplicate, shouldIgnore } from "./incoming.js";
import { renderNotice, type SlackMessage, streamParts } from "./render.js";
import { answerMetadata, isQuickRoute, precheck } from "./reply.js";
import { streamMessage } from "./stream.js";
import { uiStrings } from "./strings.js";
import { loadThreadHistory } from "./thread-context.js";
import { runTurn, type Turn } from "./turn.js";
import { userLanguage } from "./user-language.js";

/**
 * The assistant pane (Slack's split view for AI apps), through Bolt's `Assistant`: a
 * greeting and suggested prompts built from the index when a thread starts; while
 * answering, a status ("Søger i dokumenterne…") instead of a placeholder message; the
 * thread titled from its first question; LLM answers streamed, extractive ones posted as
 * one message. The channel the user is looking at (the thread's context) lends its default
 * region, unless the user set one for their own DM.
 */

type Client = webApi.WebClient;
type ThreadContext = { channel_id?: string; team_id?: string; enterprise_id?: string | null };
type ThreadContextStore = NonNullable<AssistantConfig["threadContextStore"]>;

const CONTEXT_EVENT = "assistant_thread_context";

/** Where an assistant event happens: the DM and the thread in it. */
function threadOf(payload: unknown): { channel: string; threadTs: string; context: ThreadContext } | null {
  const p = payload as {
    channel?: string;
    thread_ts?: string;
    assistant_thread?: { channel_id?: string; thread_ts?: string; context?: ThreadContext };
  };
  const channel = p.assistant_thread?.channel_id ?? p.channel;
  const threadTs = p.assistant_thread?.thread_ts ?? p.thread_ts;
  return channel && threadTs ? { channel, threadTs, context: p.assistant_thread?.context ?? {} } : null;
}

/**
 * Thread contexts in memory (bounded). Bolt's default store keeps one context for all
 * threads of the process; after a restart this one reads it back from the greeting's
 * metadata, where Bolt's `say` puts it.
 */
export function memoryContextStore(max = 5_000): ThreadContextStore {
  const contexts = new Map<string, ThreadContext>();
  return {
    async get(args) {
      const t = threadOf(args.payload);
      if (!t) return {};
      const known = contexts.get(`${t.channel}:${t.threadTs}`);
      if (known) return known;
      try {
        const thread = await args.client.conversations.replies({
          channel: t.channel,
          ts: t.threadTs,
          oldest: t.threadTs,
          include_all_metadata: true,
          limit: 4,
        });
        const first = thread.messages?.find((m) => m.metadata?.event_type === CONTEXT_EVENT);
        return (first?.metadata?.event_payload as ThreadContext | undefined) ?? {};
      } catch {
        return {};
      }
    },
    async save(args) {
      const t = threadOf(args.payload);
      if (!t) return;
      contexts.delete(`${t.channel}:${t.threadTs}`);
      contexts.set(`${t.channel}:${t.threadTs}`, t.context);
      while (contexts.size > max) {
        const oldest = contexts.keys().next().value;
        if (oldest === undefined) break;
        contexts.delete(oldest);
      }
    },
  };
}

export function createAssistant(ctx: BotContext): Assistant {
  const titled = new Deduper({ ttlMs: 7 * 24 * 60 * 60_000, maxKeys: 20_000, now: ctx.now });
  return new Assistant({
    threadContextStore: memoryContextStore(),

    threadStarted: async ({ event, body, say, setSuggestedPrompts, saveThreadContext, client }) => {
      const eventId = (body as { event_id?: string }).event_id;
      if (eventId && ctx.deduper.isDuplicate([`event:${eventId}`])) return;
      const log = ctx.logger.child({ channel: event.assistant_thread.channel_id });
      try {
        await saveThreadContext();
        const language = await userLanguage(client, event.assistant_thread.user_id);
        const s = uiStrings(language);
        await say(s.greeting);
        const overview = await ctx.service.overview();
        await setSuggestedPrompts({ title: s.promptsTitle, prompts: suggestedPrompts(overview, language) });
        log.info({ language }, "slack: assistant thread started");
      } catch (error) {
        log.error(errorForLog(error), "slack: could not start the assistant thread");
        if (isSlackAuthError(error)) ctx.fatal(error);
      }
    },

    threadContextChanged: async ({ event, saveThreadContext }) => {
      await saveThreadContext();
      ctx.logger.debug(
        { channel: event.assistant_thread.channel_id, viewing: event.assistant_thread.context.channel_id },
        "slack: assistant thread context changed",
      );
    },

    userMessage: async ({ message, body, context, client, setStatus, setTitle, getThreadContext }) => {
      const m = message as unknown as IncomingMessage;
      if (shouldIgnore(ctx, m)) return;
      if (isDuplicate(ctx, (body as { event_id?: string }).event_id, m, context.retryNum)) return;
      const thread = { channel: m.channel as string, threadTs: m.thread_ts as string, ts: m.ts as string };
      const question = slackToPlain(m.text ?? "", ctx.bot.botUserId);
      await answerInThread(ctx, client, {
        ...thread,
        user: m.user as string,
        question,
        teamId: context.teamId,
        setStatus: (status) => setStatus(status),
        setTitle: titled.isDuplicate([`${thread.channel}:${thread.threadTs}`])
          ? null
          : (title) => setTitle(title),
        viewing: async () => (await getThreadContext()).channel_id ?? null,
      });
    },
  });
}

interface ThreadTurn {
  channel: string;
  threadTs: string;
  ts: string;
  user: string;
  question: string;
  teamId: string | undefined;
  setStatus: (status: string) => Promise<unknown>;
  /** Null when the thread already has its title. */
  setTitle: ((title: string) => Promise<unknown>) | null;
  /** The channel the user is looking at (thread context), if any. */
  viewing: () => Promise<string | null>;
}

async function answerInThread(ctx: BotContext, client: Client, t: ThreadTurn): Promise<void> {
  const route = routeInput(t.question);
  const language = route.language ?? ctx.service.language(t.question);
  const s = uiStrings(language);
  const log = ctx.logger.child({ channel: t.channel, ts: t.ts });
  const post = (message: SlackMessage, metadata?: ReturnType<typeof answerMetadata>) =>
    client.chat.postMessage({
      channel: t.channel,
      thread_ts: t.threadTs,
      ...message,
      ...(metadata ? { metadata } : {}),
    });
  const safely = async (what: string, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      log.warn(errorForLog(error), `slack: could not ${what}`);
      if (isSlackAuthError(error)) ctx.fatal(error);
    }
  };

  const setTitle = t.setTitle;
  if (setTitle && t.question.trim()) {
    const title = t.question.replace(/\s+/g, " ").trim();
    await safely("set the thread title", () =>
      setTitle(title.length > 80 ? `${title.slice(0, 79)}…` : title),
    );
  }
  if (route.kind === "config") {
    // In the pane, settings are the user's own: their DM with the app.
    const text = await runConfig(ctx, client, {
      channel: t.channel,
      user: t.user,
      text: route.text,
      language,
    });
    await safely("reply", () => post(renderNotice(text)));
    return;
  }
  if (isQuickRoute(route)) {
    const text = route.kind === "help" ? s.help : route.kind === "find" ? s.findUsage : s.summaryUsage;
    await safely("reply", () => post(renderNotice(text)));
    return;
  }
  const refusal = precheck(ctx, t.user, t.question, language);
  if (refusal !== null) {
    await safely("reply", () => post(renderNotice(refusal)));
    return;
  }

  // Without the assistant pane (a thread in a plain DM, or no assistant:write scope) there is
  // no status to show: a placeholder message stands in, as in channels.
  let placeholderTs: string | undefined;
  try {
    await t.setStatus(s.searching);
  } catch (error) {
    if (isSlackAuthError(error)) {
      ctx.fatal(error);
      return;
    }
    log.debug(errorForLog(error), "slack: no assistant status here; posting a placeholder");
    await safely("post the placeholder", async () => {
      placeholderTs = (await post(renderNotice(s.searching))).ts;
    });
  }
  await ctx.track(async (stopSignal) => {
    const started = ctx.now();
    try {
      const history = await loadThreadHistory(
        client,
        { channel: t.channel, threadTs: t.threadTs, currentTs: t.ts, isDm: true, bot: ctx.bot },
        log,
      );
      const defaultRegion = await regionFor(ctx, t);
      const turn = await withTimeout(ctx.askTimeoutMs, stopSignal, (signal) =>
        runTurn(ctx, route, {
          user: t.user,
          signal,
          defaultRegion,
          ...(history && history.length > 0 ? { history } : {}),
        }),
      );
      const streamed = await deliverInThread(ctx, client, t, turn, language, placeholderTs);
      log.info(
        {
          route: route.kind,
          mode: turn.result?.mode,
          streamed,
          abstained: turn.result?.abstained,
          citations: turn.result?.citations.length,
          ms: ctx.now() - started,
        },
        "slack: answered in the assistant thread",
      );
    } catch (error) {
      log.error(
        { ...errorForLog(error), ms: ctx.now() - started },
        "slack: answering in the assistant thread failed",
      );
      if (isSlackAuthError(error)) {
        ctx.fatal(error);
        return;
      }
      const apology = renderNotice(s.apology);
      await safely("apologise", () =>
        placeholderTs
          ? client.chat.update({ channel: t.channel, ts: placeholderTs, ...apology })
          : post(apology),
      );
    } finally {
      // Slack clears the status when the app replies; clear it also when nothing was posted.
      if (!placeholderTs) await safely("clear the status", () => t.setStatus(""));
    }
  });
}

/** The user's own default (set in their DM) wins over the default of the channel they look at. */
async function regionFor(ctx: BotContext, t: ThreadTurn): Promise<Region | null> {
  const own = await channelRegion(ctx, t.channel);
  if (own) return own;
  const viewing = await t.viewing().catch(() => null);
  return viewing ? channelRegion(ctx, viewing) : null;
}

/** An answer or summary the language model wrote (an extractive fallback is not). */
function writtenByModel(result: NonNullable<Turn["result"]>): boolean {
  return (
    result.mode === "llm" || (result.mode === "summary" && (result as { method?: string }).method === "llm")
  );
}

/**
 * LLM answers stream (one message's worth); everything else is posted as is, the first
 * message replacing the placeholder when there is one. Returns whether it streamed.
 */
async function deliverInThread(
  ctx: BotContext,
  client: Client,
  t: ThreadTurn,
  turn: Turn,
  language: Language,
  placeholderTs: string | undefined,
): Promise<boolean> {
  const metadata = answerMetadata(turn.result?.question || t.question);
  const result = turn.result;
  if (result && writtenByModel(result) && turn.messages.length === 1 && !placeholderTs) {
    const { markdown, blocks } = streamParts(result, {
      language,
      question: t.question,
      answerId: ctx.cache.put(result),
      defaultRegion: result.defaultRegion ?? null,
    });
    await streamMessage(
      client,
      { channel: t.channel, threadTs: t.threadTs, teamId: t.teamId, userId: t.user },
      { markdown, blocks, metadata },
    );
    return true;
  }
  let first = true;
  for (const message of turn.messages) {
    if (first && placeholderTs) {
      await client.chat.update({ channel: t.channel, ts: placeholderTs, ...message, metadata });
    } else {
      await client.chat.postMessage({
        channel: t.channel,
        thread_ts: t.threadTs,
        ...message,
        ...(first ? { metadata } : {}),
      });
    }
    first = false;
  }
  return false;
}
