import pino, { type Logger } from "pino";

export type { Logger };

const LEVELS: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};

/**
 * On a terminal, log lines read like "12:03:04 WARN documents folder not found dir=./documents";
 * elsewhere (CI, services, pipes) they stay pino JSON for log collectors.
 */
function humanStream(out: NodeJS.WriteStream) {
  return {
    write(line: string) {
      try {
        const { level, time, msg, ...rest } = JSON.parse(line) as Record<string, unknown>;
        const t = new Date(Number(time)).toTimeString().slice(0, 8);
        const fields = Object.entries(rest)
          .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
          .join(" ");
        out.write(`${t} ${LEVELS[Number(level)] ?? level} ${msg ?? ""}${fields ? ` ${fields}` : ""}\n`);
      } catch {
        out.write(line);
      }
    },
  };
}

/**
 * Logs go to stderr so stdout carries only results. Secrets are redacted by key in
 * case a caller logs a config or request object.
 */
export function createLogger(level = "info", format: "auto" | "json" | "human" = "auto"): Logger {
  const options = {
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
        // object-store credentials (config.store.access)
        "access",
        "*.access",
        "storageOptions",
        "*.storageOptions",
        "secretAccessKey",
        "*.secretAccessKey",
      ],
      censor: "[redacted]",
    },
  };
  const human = format === "human" || (format === "auto" && process.stderr.isTTY);
  return human
    ? pino(options, humanStream(process.stderr))
    : pino(options, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything: the default for library calls and tests. */
export const silentLogger: Logger = pino({ level: "silent" });
