import type { types, webApi } from "@slack/bolt";
import type { IndexOverview } from "../service.js";
import type { Language, Region } from "../types.js";
import { type BotContext, errorForLog, isSlackAuthError, withTimeout } from "./bot-context.js";
import { escapeMrkdwn } from "./escape.js";
import { ACTION, formatDate, renderAnswer } from "./render.js";
import { answerMetadata } from "./reply.js";
import { uiStrings } from "./strings.js";
import { userLanguage } from "./user-language.js";

/**
 * The App Home tab: what the index holds (documents per region, the newest meeting of each
 * region with a Summary button, the last sync), how to ask, and the user's recent
 * questions. Published on `app_home_opened`; the Summary button posts the one-screen
 * summary in the user's DM with the app.
 */

type KnownBlock = types.KnownBlock;
type Client = webApi.WebClient;

const KIND_DA: Record<string, string> = {
  dagsorden: "dagsorden",
  referat: "referat",
  nyhedsbrev: "nyhedsbrev",
};
const KIND_EN: Record<string, string> = { dagsorden: "agenda", referat: "minutes", nyhedsbrev: "newsletter" };

function regionName(region: Region | null, language: Language): string {
  const s = uiStrings(language);
  if (region === null) return s.noRegion;
  return region === "all" ? s.allRegions : `KKR ${region}`;
}

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

/** The Home view (all text ours or escaped; at most ~20 blocks, Slack allows 100). */
export function renderHome(
  overview: IndexOverview,
  recent: { question: string; at: number }[],
  language: Language,
): types.HomeView {
  const s = uiStrings(language);
  const blocks: KnownBlock[] = [{ type: "header", text: { type: "plain_text", text: s.homeTitle } }];
  const sync = overview.updatedAt ? s.homeLastSync(syncTime(overview.updatedAt, language)) : null;
  blocks.push(
    section(
      [overview.documents > 0 ? s.homeHolds(overview.documents) : s.homeNoDocuments, sync]
        .filter(Boolean)
        .join(" "),
    ),
  );
  if (overview.byRegion.length > 0) {
    const lines = overview.byRegion.map(
      (r) => `• ${escapeMrkdwn(regionName(r.region, language))}: ${r.documents}`,
    );
    blocks.push(section(`*${s.homeByRegion}*\n${lines.join("\n")}`));
  }
  if (overview.latestMeetings.length > 0) {
    blocks.push(section(`*${s.homeLatestMeetings}*`));
    const kinds = language === "da" ? KIND_DA : KIND_EN;
    for (const m of overview.latestMeetings.slice(0, 10)) {
      const parts = [`KKR ${m.region}`, formatDate(m.date, language), m.place].filter(Boolean).join(" · ");
      const docs = m.kinds.map((k) => kinds[k] ?? k).join(", ");
      blocks.push({
        type: "section",
        text: { type: "mrkdwn", text: `${escapeMrkdwn(parts)}${docs ? ` (${escapeMrkdwn(docs)})` : ""}` },
        accessory: {
          type: "button",
          action_id: ACTION.homeSummary,
          text: { type: "plain_text", text: s.homeSummaryButton, emoji: true },
          value: JSON.stringify({ m: m.id, l: language }),
        },
      });
    }
  }
  blocks.push({ type: "divider" }, section(s.homeHowToAsk));
  const asked = recent.slice(0, 5).map((r) => `• ${escapeMrkdwn(r.question)}`);
  blocks.push(section(`*${s.homeRecent}*\n${asked.length > 0 ? asked.join("\n") : `_${s.homeNoRecent}_`}`));
  return { type: "home", blocks };
}

function syncTime(iso: string, language: Language): string {
  const date = formatDate(iso.slice(0, 10), language) ?? iso.slice(0, 10);
  const time = /T(\d{2}:\d{2})/.exec(iso)?.[1];
  return time ? `${date} ${time} UTC` : date;
}

export async function publishHome(ctx: BotContext, client: Client, user: string): Promise<void> {
  try {
    const language = await userLanguage(client, user);
    const overview = await ctx.service.overview();
    await client.views.publish({
      user_id: user,
      view: renderHome(overview, ctx.recent.list(user), language),
    });
  } catch (error) {
    ctx.logger.error({ ...errorForLog(error), user }, "slack: could not publish the App Home");
    if (isSlackAuthError(error)) ctx.fatal(error);
  }
}

/** The Summary button on the Home tab: the one-screen summary, in the user's DM with the app. */
export async function homeSummary(ctx: BotContext, client: Client, user: string, value: string | undefined) {
  let ref: { m?: unknown; l?: unknown } = {};
  try {
    ref = JSON.parse(value ?? "{}") as typeof ref;
  } catch {
    // an old or foreign button: nothing to summarise
  }
  const language: Language = ref.l === "en" ? "en" : "da";
  if (typeof ref.m !== "string") return;
  const meetingId = ref.m;
  await ctx.track(async (stop) => {
    try {
      const result = await withTimeout(ctx.askTimeoutMs, stop, (signal) =>
        ctx.service.summary(meetingId, { signal, language }),
      );
      const messages = renderAnswer(result, {
        language,
        question: meetingId,
        answerId: ctx.cache.put(result),
      });
      let threadTs: string | undefined;
      for (const message of messages) {
        const posted = await client.chat.postMessage({
          channel: user,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...message,
          ...(threadTs ? {} : { metadata: answerMetadata(result.question) }),
        });
        threadTs ??= posted.ts;
      }
    } catch (error) {
      ctx.logger.error({ ...errorForLog(error), user }, "slack: Home summary failed");
      if (isSlackAuthError(error)) ctx.fatal(error);
      await client.chat
        .postMessage({ channel: user, text: uiStrings(language).apology })
        .catch(() => undefined);
    }
  });
}
