import type { App, BlockAction, RespondArguments } from "@slack/bolt";
import { sanitizeQuestion } from "../text/sanitize.js";
import {
  type ActionInput,
  feedback,
  postToChannel,
  type RespondFn,
  refuseOverLimit,
  shareFile,
  showSources,
} from "./actions.js";
import { ANNOUNCE_SUMMARY_ACTION, showAnnouncedSummary } from "./announce.js";
import { createAssistant } from "./assistant.js";
import { type BotContext, errorForLog, isSlackAuthError } from "./bot-context.js";
import { runKkrCommand } from "./command-router.js";
import { slackToPlain } from "./escape.js";
import { homeSummary, publishHome } from "./home.js";
import { type IncomingMessage, isDuplicate, shouldIgnore } from "./incoming.js";
import { ACTION } from "./render.js";
import { answerConversation } from "./reply.js";
import { showSummaryDetails } from "./summary-details.js";

/**
 * Bolt listeners: parse the payload, drop what the bot must ignore, deduplicate, and
 * hand over to reply/command-router/actions. No business logic here.
 */

/** A group DM message that mentions the bot is a question, like an app_mention in a channel. */
function mentionsBot(ctx: BotContext, m: IncomingMessage): boolean {
  return ctx.bot.botUserId !== null && (m.text ?? "").includes(`<@${ctx.bot.botUserId}>`);
}

/**
 * Buttons whose work costs (a file upload, a meeting summary, perhaps by a model): they
 * count against the clicker's per-user rate limit, so clicks can't replay work past it.
 */
const COSTLY_ACTIONS: ReadonlySet<string> = new Set([
  ACTION.shareFile,
  ACTION.summaryDetails,
  ACTION.homeSummary,
  ANNOUNCE_SUMMARY_ACTION,
]);

export function registerListeners(app: App, ctx: BotContext): void {
  // The assistant pane: threads in the app's DM (it takes those messages before the
  // listeners below; top-level DMs, mentions and /kkr work as before without the pane).
  app.assistant(createAssistant(ctx));

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
    // Direct messages, and group DMs when they mention the bot (like a channel; the
    // app_mention of the same message is deduplicated). Channel messages come as app_mention.
    const isDm = m.channel_type === "im";
    if (!isDm && !(m.channel_type === "mpim" && mentionsBot(ctx, m))) return;
    if (shouldIgnore(ctx, m)) return;
    if (isDuplicate(ctx, (body as { event_id?: string }).event_id, m, context.retryNum)) return;
    await answerConversation(ctx, client, {
      channel: m.channel as string,
      user: m.user as string,
      question: sanitizeQuestion(slackToPlain(m.text ?? "", ctx.bot.botUserId)),
      messageTs: m.ts as string,
      threadTs: m.thread_ts,
      replyThreadTs: isDm ? m.thread_ts : (m.thread_ts ?? m.ts),
      isDm,
    });
  });

  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    await publishHome(ctx, client, event.user);
  });

  app.command("/kkr", async ({ command, ack, respond, client }) => {
    await runKkrCommand(
      ctx,
      client,
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
      if (COSTLY_ACTIONS.has(actionId) && (await refuseOverLimit(ctx, client, respond, input))) return;
      await run(client, respond, input);
    });
  };

  onAction(ACTION.showSources, (client, respond, input) => showSources(ctx, client, respond, input));
  onAction(ACTION.postToChannel, (client, respond, input) => postToChannel(ctx, client, respond, input));
  onAction(ACTION.feedbackUp, (client, respond, input) => feedback(ctx, client, respond, input, "up"));
  onAction(ACTION.feedbackDown, (client, respond, input) => feedback(ctx, client, respond, input, "down"));
  onAction(ACTION.shareFile, (client, respond, input) => shareFile(ctx, client, respond, input));
  onAction(ACTION.summaryDetails, (client, respond, input) =>
    showSummaryDetails(ctx, client, respond, input),
  );
  onAction(ACTION.homeSummary, (client, _respond, input) =>
    homeSummary(ctx, client, input.user, input.value),
  );
  onAction(ANNOUNCE_SUMMARY_ACTION, (_client, respond, input) => showAnnouncedSummary(ctx, respond, input));
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
