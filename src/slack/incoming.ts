import type { BotContext } from "./bot-context.js";
import { eventKeys } from "./dedupe.js";

/** What the listeners drop before any work: bots, edits, duplicates. */

/** Loose view of a message-like event (Bolt's types are a wide union). */
export interface IncomingMessage {
  type?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  channel?: string;
  channel_type?: string;
  client_msg_id?: string;
  edited?: unknown;
}

export function shouldIgnore(ctx: BotContext, m: IncomingMessage): boolean {
  // Bots (including this one), edits, deletes, joins and every other subtype.
  if (m.subtype !== undefined || m.bot_id !== undefined || m.edited !== undefined) return true;
  if (!m.user || !m.channel || !m.ts) return true;
  return ctx.bot.botUserId !== null && m.user === ctx.bot.botUserId;
}

export function isDuplicate(
  ctx: BotContext,
  eventId: string | undefined,
  m: IncomingMessage,
  retryNum?: number,
) {
  const duplicate = ctx.deduper.isDuplicate(
    eventKeys({ eventId, channel: m.channel, ts: m.ts, clientMsgId: m.client_msg_id }),
  );
  if (duplicate) ctx.logger.debug({ eventId, retryNum }, "slack: duplicate delivery ignored");
  return duplicate;
}
