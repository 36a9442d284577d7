import type { Logger } from "../logger.js";
import type { KkrService } from "../service.js";
import type { AnswerCache } from "./answer-cache.js";
import type { Deduper } from "./dedupe.js";
import type { RateLimiter } from "./rate-limit.js";
import type { RecentQuestions } from "./recent-questions.js";
import type { BotIdentity } from "./thread-context.js";

/** What every Slack handler needs; built once in app.ts. */
export interface BotContext {
  service: KkrService;
  logger: Logger;
  bot: BotIdentity;
  cache: AnswerCache;
  deduper: Deduper;
  limiter: RateLimiter;
  /** Each user's recent questions, for the App Home. */
  recent: RecentQuestions;
  maxQuestionChars: number;
  askTimeoutMs: number;
  now: () => number;
  /** Keeps a background job visible to stop(), which waits for (or aborts) it. */
  track<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Called when Slack says the token is revoked or invalid; the bot cannot continue. */
  fatal(error: unknown, which?: "SLACK_BOT_TOKEN" | "SLACK_APP_TOKEN"): void;
}

/** Slack error codes that mean the token no longer works: no point in continuing. */
const AUTH_ERRORS = new Set([
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "account_inactive",
  "team_disabled",
  "user_removed_from_team",
]);

/** The Slack platform error code of a failed Web API call (e.g. "not_in_channel"), if any. */
export function slackErrorCode(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === "string" ? data.error : null;
}

export function isSlackAuthError(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code !== null && AUTH_ERRORS.has(code);
}

/** A secret-free summary of an error for the logs. */
export function errorForLog(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code = slackErrorCode(error);
    return {
      name: error.name,
      message: error.message.split("\n")[0],
      ...(code ? { slackError: code } : {}),
      ...("code" in error && typeof error.code === "string" ? { code: error.code } : {}),
    };
  }
  return { message: String(error) };
}

/** Runs `work` with an abort signal that fires after `ms`; rejects on timeout even if work ignores it. */
export async function withTimeout<T>(
  ms: number,
  parent: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener("abort", onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`timed out after ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
    controller.signal.addEventListener(
      "abort",
      () => reject(controller.signal.reason ?? new Error("aborted")),
      {
        once: true,
      },
    );
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
    parent.removeEventListener("abort", onAbort);
  }
}
