import type { App, BlockAction, RespondArguments } from "@slack/bolt";
import { sanitizeQuestion } from "../text/sanitize.js";
import {
  type ActionInput,
  feedback,
  postToChannel,
  type RespondFn,
  shareFile,
  showSources,
} from "./actions.js";
import { type BotContext, errorForLog, isSlackAuthError } from "./bot-context.js";
import { runKkrCommand } from "./command-router.js";
import { eventKeys } from "./dedupe.js";
import { slackToPlain } from "./escape.js";
import { ACTION } from "./render.js";
import { answerConversation } from "./reply.js";

/**
 * Bolt listeners: parse the payload, drop what the bot must ignore, deduplicate, and
 * hand over to reply/command-router/actions. No business logic here.
 */

/** Loose view of a message-like event (Bolt's types are a wide union). */
interface IncomingMessage {
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

function shouldIgnore(ctx: BotContext, m: IncomingMessage): boolean {
  // Bots (including this one), edits, deletes, joins and every other subtype.
  if (m.subtype !== undefined || m.bot_id !== undefined || m.edited !== undefined) return true;
  if (!m.user || !m.channel || !m.ts) return true;
  return ctx.bot.botUserId !== null && m.user === ctx.bot.botUserId;
}

function isDuplicate(ctx: BotContext, eventId: string | undefined, m: IncomingMessage, retryNum?: number) {
  const duplicate = ctx.deduper.isDuplicate(
    eventKeys({ eventId, channel: m.channel, ts: m.ts, clientMsgId: m.client_msg_id }),
  );
  if (duplicate) ctx.logger.debug({ eventId, retryNum }, "slack: duplicate delivery ignored");
  return duplicate;
}

export function registerListeners(app: App, ctx: BotContext): void {
  app.event("app_mention", async ({ event, body, context, client }) => {
    const m = event as unknown as IncomingMessage;
    if (shouldIgnore(ctx, m)) return;
    if (isDuplicate(ctx, (body as { event_id?: string }).event_id, m, context.retryNum)) return;
    const channel = m.channel as string;
    const ts = m.ts as string;
    const isDm = m.channel_type === "im" || channel.startsWith("D");
    await answerConversation(ctx, client, {
      channel,
      user: m.user as string,
      question: sanitizeQuestion(slackToPlain(m.text ?? "", ctx.bot.botUserId)),
      messageTs: ts,
      threadTs: m.thread_ts,
      // In channels the answer always goes into the mention's thread.
      replyThreadTs: m.thread_ts ?? (isDm ? undefined : ts),
      isDm,
    });
  });

  app.event("message", async ({ event, body, context, client }) => {
    const m = event as unknown as IncomingMessage;
    // Only direct messages; channel messages reach the bot as app_mention.
    if (m.channel_type !== "im") return;
    if (shouldIgnore(ctx, m)) return;
    if (isDuplicate(ctx, (body as { event_id?: string }).event_id, m, context.retryNum)) return;
    await answerConversation(ctx, client, {
      channel: m.channel as string,
      user: m.user as string,
      question: sanitizeQuestion(slackToPlain(m.text ?? "", ctx.bot.botUserId)),
      messageTs: m.ts as string,
      threadTs: m.thread_ts,
      replyThreadTs: m.thread_ts,
      isDm: true,
    });
  });

  app.command("/kkr", async ({ command, ack, respond }) => {
    await runKkrCommand(
      ctx,
      {
        ack: (message?: RespondArguments) => ack(message),
        respond: (message: RespondArguments) => respond(message),
      },
      { text: sanitizeQuestion(command.text ?? ""), user: command.user_id, channel: command.channel_id },
    );
  });

  const onAction = (
    actionId: string,
    run: (client: App["client"], respond: RespondFn, input: ActionInput) => Promise<void>,
  ) => {
    app.action<BlockAction>(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const container = (body.container ?? {}) as { is_ephemeral?: boolean; thread_ts?: string };
      const input: ActionInput = {
        user: body.user.id,
        channel: body.channel?.id ?? (body.container?.channel_id as string | undefined) ?? null,
        value: "value" in action && typeof action.value === "string" ? action.value : undefined,
        messageTs: body.message?.ts ?? null,
        messageThreadTs: (body.message?.thread_ts as string | undefined) ?? container.thread_ts ?? null,
        messageText: body.message?.text ?? null,
        isEphemeral: container.is_ephemeral === true || body.message === undefined,
      };
      await run(client, respond, input);
    });
  };

  onAction(ACTION.showSources, (client, respond, input) => showSources(ctx, client, respond, input));
  onAction(ACTION.postToChannel, (client, respond, input) => postToChannel(ctx, client, respond, input));
  onAction(ACTION.feedbackUp, (client, respond, input) => feedback(ctx, client, respond, input, "up"));
  onAction(ACTION.feedbackDown, (client, respond, input) => feedback(ctx, client, respond, input, "down"));
  onAction(ACTION.shareFile, (client, respond, input) => shareFile(ctx, client, respond, input));
  // A link button still sends an action; it only needs the ack.
  app.action(ACTION.openLink, async ({ ack }) => {
    await ack();
  });

  app.error(async (error) => {
    const original = (error as { original?: unknown }).original ?? error;
    ctx.logger.error(errorForLog(original), "slack: unhandled listener error");
    if (isSlackAuthError(original)) ctx.fatal(original);
  });
}
