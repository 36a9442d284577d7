import type { webApi } from "@slack/bolt";
import type { Logger } from "../logger.js";
import { slackToPlain } from "./escape.js";

/**
 * Follow-ups: in a thread the bot already answered in, the earlier questions (and the
 * bot's answers) become `history` for the core, so "and in Sjælland?" works.
 */

/** The event_type of the metadata the bot attaches to its answers (carries the question). */
export const ANSWER_METADATA_TYPE = "kkr_answer";

export interface HistoryTurn {
  question: string;
  answer?: string;
}

/** The parts of a conversations.replies message this module reads. */
export interface ThreadMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export interface BotIdentity {
  botUserId: string | null;
  botId: string | null;
}

const MAX_TURNS = 5;
const MAX_TURN_CHARS = 1_500;

function clip(text: string): string {
  return text.length > MAX_TURN_CHARS ? `${text.slice(0, MAX_TURN_CHARS - 1)}…` : text;
}

function isFromBot(m: ThreadMessage, bot: BotIdentity): boolean {
  return (
    (bot.botUserId !== null && m.user === bot.botUserId) || (bot.botId !== null && m.bot_id === bot.botId)
  );
}

/**
 * History from a thread's messages (oldest first), or null when the bot has not answered
 * in it (then the message is a fresh question). In channels only messages that mention
 * the bot were questions to it; in DMs every human message is.
 */
export function historyFromThread(
  messages: ThreadMessage[],
  options: { bot: BotIdentity; currentTs: string; isDm: boolean },
): HistoryTurn[] | null {
  const { bot, currentTs, isDm } = options;
  const earlier = messages.filter((m) => m.ts !== undefined && m.ts !== currentTs && m.ts < currentTs);
  if (!earlier.some((m) => isFromBot(m, bot))) return null;
  const turns: HistoryTurn[] = [];
  for (const m of earlier) {
    if (isFromBot(m, bot)) {
      if (m.metadata?.event_type !== ANSWER_METADATA_TYPE) continue;
      const asked = m.metadata.event_payload?.question;
      const answer = clip(slackToPlain(m.text ?? ""));
      const last = turns[turns.length - 1];
      if (last && last.answer === undefined && (typeof asked !== "string" || asked === last.question)) {
        last.answer = answer;
      } else if (typeof asked === "string" && asked.trim()) {
        turns.push({ question: clip(asked), answer });
      }
      continue;
    }
    if (m.bot_id || (m.subtype && m.subtype !== "thread_broadcast")) continue;
    const raw = m.text ?? "";
    if (!isDm && !(bot.botUserId && raw.includes(`<@${bot.botUserId}>`))) continue;
    const question = slackToPlain(raw, bot.botUserId);
    if (question) turns.push({ question: clip(question) });
  }
  return turns.slice(-MAX_TURNS);
}

/** Reads the thread through conversations.replies; a failure means "no history", never an error. */
export async function loadThreadHistory(
  client: webApi.WebClient,
  input: { channel: string; threadTs: string; currentTs: string; isDm: boolean; bot: BotIdentity },
  logger: Logger,
): Promise<HistoryTurn[] | null> {
  try {
    const res = await client.conversations.replies({
      channel: input.channel,
      ts: input.threadTs,
      limit: 100,
      include_all_metadata: true,
    });
    const messages = (res.messages ?? []) as ThreadMessage[];
    return historyFromThread(messages, { bot: input.bot, currentTs: input.currentTs, isDm: input.isDm });
  } catch (error) {
    logger.warn(
      { err: error instanceof Error ? error.message : String(error), channel: input.channel },
      "slack: could not read the thread; answering without history",
    );
    return null;
  }
}
