import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { App, type CustomRoute, SocketModeReceiver, webApi } from "@slack/bolt";
import type { Config } from "../config.js";
import { KkrError } from "../errors.js";
import { type Logger, silentLogger } from "../logger.js";
import type { KkrService } from "../service.js";
import { AnswerCache } from "./answer-cache.js";
import { boltLogger } from "./bolt-logger.js";
import { type BotContext, errorForLog, isSlackAuthError, slackErrorCode } from "./bot-context.js";
import { Deduper } from "./dedupe.js";
import { registerListeners } from "./listeners.js";
import { RateLimiter } from "./rate-limit.js";
import { RecentQuestions } from "./recent-questions.js";

export interface StartSlackBotOptions {
  config: Config;
  service: KkrService;
  logger?: Logger;
  /** Milliseconds since the epoch; injectable for rate-limit and dedupe tests. */
  clock?: () => number;
  /**
   * Called once if Slack revokes or rejects the token while running. Default: log it,
   * stop the bot and set process.exitCode = 1.
   */
  onFatal?: (error: KkrError) => void;
  /** HTTP mode: overrides config.slack.port (0 = any free port; see SlackBot.port). */
  port?: number;
  /** Upper bound on one answer; the placeholder becomes an apology after it. Default 90 s. */
  askTimeoutMs?: number;
  /** How long stop() waits for answers in progress before aborting them. Default 10 s. */
  stopGraceMs?: number;
  /** Socket Mode heartbeat timeout. Default 5 s. */
  socketPingTimeoutMs?: number;
  /** HTTP mode: more routes on the same port (the health checks). */
  customRoutes?: CustomRoute[];
}

export interface SlackBot {
  mode: "socket" | "http";
  /** The HTTP port listened on (HTTP mode), else null. */
  port: number | null;
  botUserId: string;
  /** The bot's Web API client (for messages the bot starts itself, e.g. announcements). */
  client: webApi.WebClient;
  /** Stops receiving, lets answers in progress finish (or apologise), disconnects. Idempotent. */
  stop(): Promise<void>;
}

const TIMED_OUT = Symbol("timed out");

/** Waits for `promise` at most `ms` (without leaving a timer behind that keeps the process alive). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Web API base URL for the SDK, which expects a trailing slash. */
function apiBaseUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith("/") ? url : `${url}/`;
}

function authError(which: "SLACK_BOT_TOKEN" | "SLACK_APP_TOKEN", error: unknown, apiUrl: string): KkrError {
  const code = slackErrorCode(error);
  if (code !== null) {
    return new KkrError(
      "SLACK_AUTH",
      `Slack rejected ${which} (${code}). Check the token in the app's settings, or reinstall the app to the workspace.`,
      { cause: error, details: { slackError: code } },
    );
  }
  return new KkrError(
    "SLACK_AUTH",
    `Could not reach the Slack API at ${apiUrl} to verify ${which} (${errorForLog(error).message}). Check the network or SLACK_API_URL.`,
    { cause: error, details: { reason: "unreachable" } },
  );
}

/**
 * Connects kkr-bot to Slack: Socket Mode when SLACK_APP_TOKEN is set, else HTTP mode
 * (SLACK_SIGNING_SECRET + PORT, Bolt's default /slack/events). Resolves once connected;
 * rejects with KkrError SLACK_AUTH when a token is invalid.
 */
export async function startSlackBot(options: StartSlackBotOptions): Promise<SlackBot> {
  const { config, service } = options;
  const logger = (options.logger ?? silentLogger).child({ component: "slack" });
  const now = options.clock ?? Date.now;
  const { botToken, appToken, signingSecret } = config.slack;
  if (!botToken) {
    throw new KkrError("CONFIG_INVALID", "SLACK_BOT_TOKEN (xoxb-…) is required to connect to Slack.");
  }
  if (!appToken && !signingSecret) {
    throw new KkrError(
      "CONFIG_INVALID",
      "Set SLACK_APP_TOKEN (xapp-…, Socket Mode) or SLACK_SIGNING_SECRET and PORT (HTTP mode) to connect to Slack.",
    );
  }
  const mode: SlackBot["mode"] = appToken ? "socket" : "http";
  const slackApiUrl = apiBaseUrl(config.slack.apiUrl);
  const sdkLogger = boltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    logger: sdkLogger,
    // Fail in seconds, not the SDK's default half hour, so errors reach the user.
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
    ...(slackApiUrl ? { slackApiUrl } : {}),
  };
  const shownApiUrl = slackApiUrl ?? "https://slack.com/api/";

  // Our own auth.test: a clear error for a bad token, and the bot's ids for the listeners.
  let identity: { botUserId: string; botId: string | null; team: string | null };
  try {
    const auth = await new webApi.WebClient(botToken, clientOptions).auth.test();
    if (!auth.user_id) throw new Error("auth.test returned no user_id");
    identity = { botUserId: auth.user_id, botId: auth.bot_id ?? null, team: auth.team ?? null };
  } catch (error) {
    throw authError("SLACK_BOT_TOKEN", error, shownApiUrl);
  }

  const stopController = new AbortController();
  const jobs = new Set<Promise<unknown>>();
  let stopping: Promise<void> | null = null;
  let fatalReported = false;

  const receiver = appToken
    ? new SocketModeReceiver({
        appToken,
        logger: sdkLogger,
        // Reconnects are ours (below), so a revoked token ends the bot instead of looping.
        autoReconnectEnabled: false,
        clientPingTimeout: options.socketPingTimeoutMs ?? 5_000,
        // apps.connections.open must go to SLACK_API_URL too (GovSlack, the test emulator).
        installerOptions: { clientOptions: { ...clientOptions } },
      })
    : undefined;

  const app = new App({
    token: botToken,
    botId: identity.botId ?? undefined,
    botUserId: identity.botUserId,
    logger: sdkLogger,
    clientOptions,
    convoStore: false,
    // We ran auth.test above; Bolt need not repeat it (nor fail unobserved if it did).
    tokenVerificationEnabled: false,
    ...(receiver
      ? { receiver }
      : { signingSecret: signingSecret as string, customRoutes: options.customRoutes ?? [] }),
  });

  const bot: SlackBot = {
    mode,
    port: null,
    botUserId: identity.botUserId,
    client: app.client,
    stop: () => {
      stopping ??= doStop();
      return stopping;
    },
  };

  const ctx: BotContext = {
    service,
    logger,
    bot: { botUserId: identity.botUserId, botId: identity.botId },
    cache: new AnswerCache({ now }),
    deduper: new Deduper({ now }),
    limiter: new RateLimiter({ limit: config.rateLimitPerMin, now }),
    recent: new RecentQuestions(),
    maxQuestionChars: config.maxQuestionChars,
    askTimeoutMs: options.askTimeoutMs ?? 90_000,
    now,
    track: (job) => {
      const promise = job(stopController.signal);
      const settled = promise.then(
        () => undefined,
        () => undefined,
      );
      jobs.add(settled);
      void settled.then(() => jobs.delete(settled));
      return promise;
    },
    fatal: (error, which = "SLACK_BOT_TOKEN") => {
      if (fatalReported) return;
      fatalReported = true;
      const kkrError = authError(which, error, shownApiUrl);
      logger.fatal({ code: kkrError.code }, kkrError.message);
      if (options.onFatal) {
        options.onFatal(kkrError);
        return;
      }
      process.exitCode = 1;
      void bot.stop();
    },
  };
  registerListeners(app, ctx);

  async function doStop(): Promise<void> {
    logger.info("slack: stopping");
    try {
      if (receiver) {
        await within(3_000, receiver.client.disconnect());
      } else {
        await app.stop();
      }
    } catch (error) {
      logger.warn(errorForLog(error), "slack: error while disconnecting");
    }
    if (jobs.size > 0) {
      if ((await within(options.stopGraceMs ?? 10_000, Promise.all(jobs))) === TIMED_OUT) {
        // Aborted answers turn their placeholders into apologies.
        stopController.abort(new Error("the bot is shutting down"));
        await within(2_000, Promise.all(jobs));
      }
    }
    stopController.abort(new Error("the bot is shutting down"));
    logger.info("slack: stopped");
  }

  if (receiver) {
    try {
      await app.start();
    } catch (error) {
      await within(1_000, receiver.client.disconnect()).catch(() => undefined);
      throw authError("SLACK_APP_TOKEN", error, shownApiUrl);
    }
    watchSocket(receiver, ctx, logger, stopController.signal, () => stopping !== null);
    logger.info({ team: identity.team, botUserId: identity.botUserId }, "slack: connected (Socket Mode)");
  } else {
    const port = options.port ?? config.slack.port;
    let server: { address(): AddressInfo | string | null };
    try {
      server = (await app.start(port)) as typeof server;
    } catch (error) {
      throw new KkrError(
        "CONFIG_INVALID",
        `Could not listen on PORT ${port} for Slack requests (${errorForLog(error).message}). Choose another PORT.`,
        { cause: error },
      );
    }
    const address = server.address();
    bot.port = typeof address === "object" && address !== null ? address.port : port;
    logger.info(
      { team: identity.team, botUserId: identity.botUserId, port: bot.port },
      "slack: listening (HTTP mode, /slack/events)",
    );
  }
  return bot;
}

/**
 * Reconnects after the socket drops (network loss, Slack's `disconnect` messages), with
 * backoff; a token Slack rejects on reconnect is fatal rather than retried forever.
 */
function watchSocket(
  receiver: SocketModeReceiver,
  ctx: BotContext,
  logger: Logger,
  signal: AbortSignal,
  isStopping: () => boolean,
): void {
  const client = receiver.client;
  let reconnecting = false;
  client.on("disconnected", () => {
    if (isStopping() || reconnecting) return;
    reconnecting = true;
    void (async () => {
      for (let attempt = 1; !isStopping(); attempt++) {
        const delay = attempt === 1 ? 100 : Math.min(1_000 * 2 ** (attempt - 2), 30_000);
        try {
          await sleep(delay, undefined, { signal });
        } catch {
          break;
        }
        if (isStopping()) break;
        try {
          logger.info({ attempt }, "slack: reconnecting");
          await client.start();
          logger.info("slack: reconnected");
          break;
        } catch (error) {
          if (isSlackAuthError(error)) {
            ctx.fatal(error, "SLACK_APP_TOKEN");
            break;
          }
          logger.warn({ ...errorForLog(error), attempt }, "slack: reconnect failed");
        }
      }
      reconnecting = false;
    })();
  });
}
