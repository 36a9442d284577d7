import type { webApi } from "@slack/bolt";
import { regionSlug } from "../text/regions.js";
import { type Language, REGIONS, type Region } from "../types.js";
import { type BotContext, errorForLog, isSlackAuthError } from "./bot-context.js";
import { uiStrings } from "./strings.js";

/**
 * `/kkr config region Syddanmark`, `/kkr config region clear`, `/kkr config`: a channel's
 * default region, stored by the core. Anyone may see it; only workspace admins/owners or
 * the channel's creator may change it (a DM's own member, for the DM). Group DMs work like
 * channels (their creator).
 */

type Client = webApi.WebClient;

export type ConfigCommand =
  | { action: "show" }
  | { action: "set"; region: Region }
  | { action: "clear" }
  | { action: "unknown-region"; value: string }
  | { action: "usage" };

const CLEAR = /^(?:clear|none|off|reset|ryd|fjern|ingen|slet)$/iu;

export function parseConfig(text: string): ConfigCommand {
  const t = text.trim();
  if (t === "") return { action: "show" };
  if (CLEAR.test(t)) return { action: "clear" };
  const m = /^(?:region|standardregion|default)\s*:?\s*([\s\S]*)$/iu.exec(t);
  if (!m) return { action: "usage" };
  const value = (m[1] ?? "").trim().replace(/^KKR\s+/iu, "");
  if (value === "") return { action: "show" };
  if (CLEAR.test(value)) return { action: "clear" };
  const region = exactRegion(value);
  return region ? { action: "set", region } : { action: "unknown-region", value };
}

/**
 * One of the five regions by its name ("Sjælland", "sjaelland", "Region Syddanmark"). A
 * setting must name the region itself: "Fyn" (a part of Syddanmark) is refused, not guessed.
 */
function exactRegion(value: string): Region | null {
  const slug = (v: string) =>
    v
      .toLowerCase()
      .normalize("NFC")
      .replace(/^region\s+/u, "")
      .replaceAll("æ", "ae")
      .replaceAll("ø", "oe")
      .replaceAll("å", "aa")
      .trim();
  const wanted = slug(value);
  return REGIONS.find((r) => regionSlug(r) === wanted || slug(r) === wanted) ?? null;
}

/** May `user` change `channel`'s settings? Workspace admins/owners, the creator, a DM's own member. */
export async function mayConfigure(client: Client, channel: string, user: string): Promise<boolean> {
  const who = await client.users.info({ user });
  const u = who.user;
  if (u?.is_admin || u?.is_owner || u?.is_primary_owner) return true;
  const info = await client.conversations.info({ channel });
  const c = info.channel as { is_im?: boolean; user?: string; creator?: string } | undefined;
  if (!c) return false;
  return c.is_im ? c.user === user : c.creator === user;
}

/** Runs a config command and returns the reply to show the user (our own, trusted text). */
export async function runConfig(
  ctx: BotContext,
  client: Client,
  input: { channel: string; user: string; text: string; language: Language },
): Promise<string> {
  const s = uiStrings(input.language);
  const cmd = parseConfig(input.text);
  const log = ctx.logger.child({ channel: input.channel });
  if (cmd.action === "usage") return s.configUsage;
  if (cmd.action === "unknown-region") return s.configUnknownRegion(cmd.value.slice(0, 60));
  if (cmd.action === "show") {
    const current = await ctx.service.channelDefault(input.channel);
    return `${s.configCurrent(current?.region ?? null)}\n${s.configUsage}`;
  }
  let allowed: boolean;
  try {
    allowed = await mayConfigure(client, input.channel, input.user);
  } catch (error) {
    log.warn(errorForLog(error), "slack: could not check who may configure the channel");
    if (isSlackAuthError(error)) ctx.fatal(error);
    return s.configFailed;
  }
  if (!allowed) {
    log.info({ user: input.user }, "slack: channel default refused (not admin or creator)");
    return s.configRefused;
  }
  if (cmd.action === "clear") {
    await ctx.service.setChannelDefault(input.channel, null, input.user);
    log.info({ user: input.user }, "slack: channel default cleared");
    return s.configCleared;
  }
  await ctx.service.setChannelDefault(input.channel, cmd.region, input.user);
  log.info({ user: input.user, region: cmd.region }, "slack: channel default set");
  return s.configSet(cmd.region);
}

/** The channel's default region for answering, or null (a failed lookup never blocks an answer). */
export async function channelRegion(ctx: BotContext, channel: string): Promise<Region | null> {
  try {
    return (await ctx.service.channelDefault(channel))?.region ?? null;
  } catch (error) {
    ctx.logger.warn({ ...errorForLog(error), channel }, "slack: could not read the channel's default region");
    return null;
  }
}
