/**
 * Slack mrkdwn safety. Text from documents, models and users is escaped so it can
 * never produce `<!channel>`, `<!here>`, `<!everyone>`, `<@U…>`, `<#C…>` or a
 * disguised `<url|text>` link: Slack only parses those inside literal `<…>`.
 */

/** Escapes `&`, `<` and `>` (Slack's three control characters). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Only http(s) URLs may be linked; anything else (javascript:, slack:, …) is dropped. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  // `|`, `<`, `>` and spaces would end or split Slack's <url|text> syntax.
  return parsed.href.replace(
    /[|<> ]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

/** A Slack link whose visible text is escaped; plain escaped text when the url is unusable. */
export function mrkdwnLink(url: string | null | undefined, text: string): string {
  const safe = safeUrl(url);
  const label = escapeMrkdwn(text).replace(/\|/g, "¦");
  return safe ? `<${safe}|${label}>` : escapeMrkdwn(text);
}

/**
 * Slack's formatted message text → the plain question the core should see: drops the
 * bot's own mention, turns other mentions/links into readable text, unescapes entities.
 */
export function slackToPlain(text: string, botUserId?: string | null): string {
  let out = text;
  if (botUserId) out = out.split(`<@${botUserId}>`).join(" ");
  out = out.replace(/<([^<>]*)>/g, (_m, inner: string) => {
    const [target = "", label] = inner.split("|", 2);
    if (target.startsWith("@")) return label ? `@${label}` : target;
    if (target.startsWith("#")) return label ? `#${label}` : target;
    if (target.startsWith("!")) return label ?? target.replace(/^!subteam\^\w+/, "@team").replace(/^!/, "@");
    return label ?? target;
  });
  out = out.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  return out.replace(/\s+/g, " ").trim();
}
