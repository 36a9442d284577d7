import { type Config, type ConfigOverrides, loadConfig } from "../config.js";
import { createLogger, type Logger } from "../logger.js";

/** What every command gets: config read once (flags over env), a stderr logger, stdout. */
export interface CliContext {
  config: Config;
  logger: Logger;
  out: (text: string) => void;
}

export function makeContext(overrides: ConfigOverrides, env: NodeJS.ProcessEnv = process.env): CliContext {
  const config = loadConfig(env, overrides);
  return {
    config,
    logger: createLogger(config.logLevel, config.logFormat),
    out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  };
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.out(JSON.stringify(value, null, 2));
}
