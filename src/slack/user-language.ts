import type { webApi } from "@slack/bolt";
import type { Language } from "../types.js";

/**
 * The user's language from their Slack locale ("da-DK" → da, any other → en), for replies
 * that have no text to read it from (a new assistant thread, the App Home). Danish when
 * Slack doesn't say.
 */
export async function userLanguage(client: webApi.WebClient, user: string): Promise<Language> {
  try {
    const info = await client.users.info({ user, include_locale: true });
    const locale = info.user?.locale ?? "";
    return locale === "" || locale.toLowerCase().startsWith("da") ? "da" : "en";
  } catch {
    return "da";
  }
}
