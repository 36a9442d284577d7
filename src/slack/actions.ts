import type { RespondArguments, webApi } from "@slack/bolt";
import type { AskResult } from "../answer/types.js";
import { type BotContext, errorForLog, isSlackAuthError, slackErrorCode } from "./bot-context.js";
import { escapeMrkdwn, mrkdwnLink, slackToPlain } from "./escape.js";
import {
  type AnswerRef,
  decodeAnswerRef,
  renderAnswer,
  renderNotice,
  renderSources,
  type SlackMessage,
} from "./render.js";
import { uiStrings } from "./strings.js";
import { ANSWER_METADATA_TYPE } from "./thread-context.js";

/**
 * Button clicks: show sources, post an ephemeral answer to the channel, 👍/👎 feedback,
 * share a document's original file. Each is acked by the listener before it runs.
 */

/** The parts of a block_actions payload the handlers read. */
export interface ActionInput {
  user: string;
  channel: string | null;
  value: string | undefined;
  /** The message the button is on (absent for ephemeral messages in some clients). */
  messageTs: string | null;
  messageThreadTs: string | null;
  messageText: string | null;
  isEphemeral: boolean;
}

type Client = webApi.WebClient;
export type RespondFn = (message: RespondArguments) => Promise<unknown>;

/** Replies only to the clicker: via response_url on ephemeral messages, else chat.postEphemeral in the thread. */
export async function tellClicker(
  client: Client,
  respond: RespondFn,
  input: ActionInput,
  message: SlackMessage,
) {
  if (input.isEphemeral || !input.channel) {
    await respond({ response_type: "ephemeral", replace_original: false, ...message });
    return;
  }
  await client.chat.postEphemeral({
    channel: input.channel,
    user: input.user,
    ...(input.messageThreadTs ? { thread_ts: input.messageThreadTs } : {}),
    ...message,
  });
}

/**
 * The cached answer, or null ("please ask again"). A button never re-asks its question:
 * a button value is whatever the client sends, so re-asking would let clicks replay
 * questions past the per-user rate limit.
 */
function answerFor(ctx: BotContext, ref: AnswerRef): { result: AskResult; id: string } | null {
  const cached = ctx.cache.get(ref.a);
  return cached ? { result: cached, id: ref.a } : null;
}

/**
 * Button work that costs — an upload, a meeting summary — counts against the clicker's
 * per-user limit, like a question. True (and the clicker told) when over the limit.
 */
export async function refuseOverLimit(
  ctx: BotContext,
  client: Client,
  respond: RespondFn,
  input: ActionInput,
): Promise<boolean> {
  const decision = ctx.limiter.take(input.user);
  if (decision.ok) return false;
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  const notice = renderNotice(uiStrings(ctx.service.language("")).rateLimited(seconds));
  // a Home tab click has no message to answer under: tell the user in the app's DM
  await tellClicker(client, respond, input, notice).catch(() =>
    client.chat.postMessage({ channel: input.user, ...notice }).catch(() => undefined),
  );
  return true;
}

export async function guarded(
  ctx: BotContext,
  what: string,
  run: () => Promise<void>,
  onError: () => Promise<void>,
) {
  try {
    await run();
  } catch (error) {
    ctx.logger.error(errorForLog(error), `slack: ${what} failed`);
    if (isSlackAuthError(error)) {
      ctx.fatal(error);
      return;
    }
    try {
      await onError();
    } catch (replyError) {
      ctx.logger.error(errorForLog(replyError), `slack: could not report the ${what} failure`);
    }
  }
}

export async function showSources(ctx: BotContext, client: Client, respond: RespondFn, input: ActionInput) {
  const ref = decodeAnswerRef(input.value);
  const s = uiStrings(ctx.service.language(ref?.q ?? ""));
  await guarded(
    ctx,
    "show sources",
    async () => {
      const found = ref ? answerFor(ctx, ref) : null;
      const message = found
        ? renderSources(found.result.citations, ctx.service.language(ref?.q ?? ""))
        : renderNotice(s.answerExpired);
      await tellClicker(client, respond, input, message);
    },
    () => tellClicker(client, respond, input, renderNotice(s.apology)),
  );
}

export async function postToChannel(ctx: BotContext, client: Client, respond: RespondFn, input: ActionInput) {
  const ref = decodeAnswerRef(input.value);
  const language = ctx.service.language(ref?.q ?? "");
  const s = uiStrings(language);
  await guarded(
    ctx,
    "post to channel",
    async () => {
      const found = ref ? answerFor(ctx, ref) : null;
      if (!found || !ref || !input.channel) {
        await tellClicker(client, respond, input, renderNotice(s.answerExpired));
        return;
      }
      const messages = renderAnswer(found.result, {
        language,
        question: ref.q,
        answerId: found.id,
        askedBy: input.user,
      });
      try {
        let threadTs: string | undefined;
        for (const message of messages) {
          const posted = await client.chat.postMessage({
            channel: input.channel,
            ...(threadTs ? { thread_ts: threadTs } : {}),
            ...message,
            metadata: {
              event_type: ANSWER_METADATA_TYPE,
              event_payload: { question: ref.q.slice(0, 1_000) },
            },
          });
          threadTs ??= posted.ts;
        }
      } catch (error) {
        if (botNotInChannel(error)) {
          await tellClicker(client, respond, input, renderNotice(s.notInChannel));
          return;
        }
        throw error;
      }
      // The ephemeral copy has done its job.
      if (input.isEphemeral) await respond({ delete_original: true });
    },
    () => tellClicker(client, respond, input, renderNotice(s.apology)),
  );
}

export async function feedback(
  ctx: BotContext,
  client: Client,
  respond: RespondFn,
  input: ActionInput,
  vote: "up" | "down",
) {
  const ref = decodeAnswerRef(input.value);
  const s = uiStrings(ctx.service.language(ref?.q ?? ""));
  // A double click should not count twice.
  if (ref && ctx.deduper.isDuplicate([`feedback:${ref.a}:${input.user}:${vote}`])) return;
  await guarded(
    ctx,
    "feedback",
    async () => {
      const cached = ref ? ctx.cache.get(ref.a) : null;
      await ctx.service.recordFeedback({
        question: cached?.question || ref?.q || "",
        answer: cached?.answer ?? slackToPlain(input.messageText ?? ""),
        citations: cached?.citations ?? [],
        user: input.user,
        vote,
        at: new Date(ctx.now()).toISOString(),
        ...(input.channel ? { channel: input.channel } : {}),
        ...(input.messageTs ? { ts: input.messageTs } : {}),
      });
      await tellClicker(client, respond, input, renderNotice(s.feedbackThanks));
    },
    () => tellClicker(client, respond, input, renderNotice(s.apology)),
  );
}

export async function shareFile(ctx: BotContext, client: Client, respond: RespondFn, input: ActionInput) {
  const source = input.value ?? "";
  const s = uiStrings(ctx.service.language(""));
  await guarded(
    ctx,
    "share file",
    async () => {
      const file = source ? await ctx.service.sourceFile(source) : null;
      if (!file || !input.channel) {
        await tellClicker(client, respond, input, renderNotice(s.noFile));
        return;
      }
      const threadTs = input.messageThreadTs ?? undefined;
      // Re-checked now, not when the button was made: the bytes must still be the indexed
      // document's and come from inside the documents folder.
      const content = await ctx.service.readSourceFile(source);
      try {
        if (content.ok) {
          const upload = { file: content.bytes, filename: content.fileName, title: file.title };
          // files.uploadV2: getUploadURLExternal → upload → completeUploadExternal (shares it).
          if (threadTs)
            await client.filesUploadV2({ ...upload, channel_id: input.channel, thread_ts: threadTs });
          else await client.filesUploadV2({ ...upload, channel_id: input.channel });
        } else if (file.url) {
          await client.chat.postMessage({
            channel: input.channel,
            ...(threadTs ? { thread_ts: threadTs } : {}),
            ...linkMessage(file.title, file.url),
          });
        } else {
          const notice = content.reason === "missing" ? s.noFile : s.fileNotShared;
          await tellClicker(client, respond, input, renderNotice(notice));
          return;
        }
      } catch (error) {
        if (botNotInChannel(error)) {
          await tellClicker(client, respond, input, renderNotice(s.notInChannel));
          return;
        }
        throw error;
      }
      await tellClicker(client, respond, input, renderNotice(s.shared(escapeMrkdwn(file.title))));
    },
    () => tellClicker(client, respond, input, renderNotice(s.apology)),
  );
}

function linkMessage(title: string, url: string): SlackMessage {
  const text = mrkdwnLink(url, title);
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** The bot can't post where it hasn't been invited (or the channel is gone). */
function botNotInChannel(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code === "not_in_channel" || code === "channel_not_found";
}
