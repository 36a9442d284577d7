import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../logger.js";

/**
 * Bolt and the Slack SDK log through this adapter into our pino logger. Their chatter is
 * shifted one level down (debug → trace, info → debug) so `info` stays about the bot,
 * and anything that looks like a Slack token is masked before it reaches a log line.
 */

const TOKEN = /\b(xox[abprse]|xapp)-[A-Za-z0-9-]+/g;

function toText(args: unknown[]): string {
  return args
    .map((a) => {
      if (typeof a === "string") return a;
      if (a instanceof Error) return a.message;
      if (typeof a === "number" || typeof a === "boolean") return String(a);
      // Objects may be request payloads; their shape is not worth the risk of logging secrets.
      return "";
    })
    .filter((s) => s.length > 0)
    .join(" ")
    .replace(TOKEN, "$1-[redacted]");
}

export function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: "slack-sdk" });
  return {
    debug: (...args: unknown[]) => {
      if (log.isLevelEnabled("trace")) log.trace(toText(args));
    },
    info: (...args: unknown[]) => log.debug(toText(args)),
    warn: (...args: unknown[]) => log.warn(toText(args)),
    error: (...args: unknown[]) => log.error(toText(args)),
    setLevel: () => {
      // The level is ours (KKR_LOG_LEVEL); the SDK does not get to change it.
    },
    getLevel: () => {
      if (log.isLevelEnabled("trace")) return LogLevel.DEBUG;
      if (log.isLevelEnabled("debug")) return LogLevel.INFO;
      if (log.isLevelEnabled("warn")) return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName: () => {},
  };
}
