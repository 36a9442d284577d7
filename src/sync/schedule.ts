/**
 * Runs a job now and then every `intervalMs` (measured from each start), never two at a
 * time: the next run is planned only when the current one has finished. stop() aborts a
 * run in progress through its signal and waits for it to end.
 */
import { describeError } from "../errors.js";
import { type Logger, silentLogger } from "../logger.js";

export interface ScheduleOptions {
  intervalMs: number;
  run: (signal: AbortSignal) => Promise<void>;
  /** Wait before the first run. Default 0 (at once). */
  firstDelayMs?: number;
  logger?: Logger;
  now?: () => number;
}

export interface Schedule {
  /** Runs the job now unless it is running; resolves when that run ends. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startSchedule(options: ScheduleOptions): Schedule {
  const log = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  let stopped = false;

  const plan = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => void runNow(), Math.max(0, delay));
    timer.unref();
  };

  const runNow = (): Promise<void> => {
    if (current) return current;
    if (timer) clearTimeout(timer);
    timer = null;
    const started = now();
    current = (async () => {
      try {
        await options.run(controller.signal);
      } catch (error) {
        if (!controller.signal.aborted) log.error({ err: describeError(error) }, "scheduled sync failed");
      } finally {
        current = null;
        plan(started + options.intervalMs - now());
      }
    })();
    return current;
  };

  plan(options.firstDelayMs ?? 0);
  return {
    runNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      controller.abort(new Error("the bot is shutting down"));
      await current;
    },
  };
}
