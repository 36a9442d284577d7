import type { types, webApi } from "@slack/bolt";
import type { Announcement } from "../sync/announcer.js";
import type { ActionInput, RespondFn } from "./actions.js";
import { type BotContext, errorForLog, isSlackAuthError, withTimeout } from "./bot-context.js";
import { escapeMrkdwn, mrkdwnLink } from "./escape.js";
import { renderAnswer, renderNotice, type SlackMessage } from "./render.js";
import { uiStrings } from "./strings.js";

/**
 * New documents announced in a channel (Danish, as the documents are): a headline per
 * meeting, its links, and a button that shows the meeting's summary to whoever clicks it.
 */

export const ANNOUNCE_SUMMARY_ACTION = "kkr_announce_summary";

/** Links listed in one announcement; the rest are counted. */
const MAX_LINKS = 20;

export function renderAnnouncement(a: Announcement): SlackMessage {
  const links = a.documents.slice(0, MAX_LINKS).map((d) => `• ${mrkdwnLink(d.url, d.label)}`);
  if (a.documents.length > MAX_LINKS) links.push(`… og ${a.documents.length - MAX_LINKS} flere`);
  const text = `*${escapeMrkdwn(a.headline)}*\n${links.join("\n")}`.slice(0, 3000);
  const blocks: types.KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text } }];
  if (a.summaryRef) {
    blocks.push({
      type: "actions",
      block_id: "kkr_announce_actions",
      elements: [
        {
          type: "button",
          action_id: ANNOUNCE_SUMMARY_ACTION,
          text: { type: "plain_text", text: "Opsummér mødet", emoji: true },
          value: a.summaryRef.slice(0, 2000),
        },
      ],
    });
  }
  return { text: a.headline, blocks };
}

/** Posts an announcement; rejects when Slack does (the entry then stays queued). */
export async function postAnnouncement(
  client: webApi.WebClient,
  channel: string,
  a: Announcement,
): Promise<void> {
  await client.chat.postMessage({ channel, ...renderAnnouncement(a), unfurl_links: false });
}

/** The Summary button: the meeting's summary, shown only to the person who clicked. */
export async function showAnnouncedSummary(ctx: BotContext, respond: RespondFn, input: ActionInput) {
  const ref = (input.value ?? "").trim();
  const s = uiStrings("da");
  const tell = (message: SlackMessage) =>
    respond({ response_type: "ephemeral", replace_original: false, ...message });
  if (!ref) {
    await tell(renderNotice(s.answerExpired));
    return;
  }
  try {
    const messages = await ctx.track(async (stop) => {
      const result = await withTimeout(ctx.askTimeoutMs, stop, (signal) =>
        ctx.service.summary(ref, { signal, language: "da" }),
      );
      return renderAnswer(result, {
        language: "da",
        question: `opsummer ${ref}`,
        answerId: ctx.cache.put(result),
        ephemeral: true,
      });
    });
    for (const message of messages) await tell(message);
  } catch (error) {
    ctx.logger.error(errorForLog(error), "slack: announced summary failed");
    if (isSlackAuthError(error)) {
      ctx.fatal(error);
      return;
    }
    await tell(renderNotice(s.apology)).catch(() => undefined);
  }
}
