import pino, { type Logger } from "pino";

export type { Logger };

/**
 * Logs go to stderr so stdout carries only results. Secrets are redacted by key in
 * case a caller logs a config or request object.
 */
export function createLogger(level: string = process.env.KKR_LOG_LEVEL || "info"): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          "apiKey",
          "*.apiKey",
          "token",
          "*.token",
          "botToken",
          "appToken",
          "signingSecret",
          "*.botToken",
          "*.appToken",
          "*.signingSecret",
          "headers.authorization",
          "*.headers.authorization",
        ],
        censor: "[redacted]",
      },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that drops everything: the default for library calls and tests. */
export const silentLogger: Logger = pino({ level: "silent" });
