/**
 * One request at a time per host, with a pause between them. Our own queue rather than
 * p-limit: p-limit bounds concurrency but knows nothing of a pause after each job, which
 * is the part that matters to the site; a promise chain per host does both in a few lines.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export class HostGate {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly lastEnd = new Map<string, number>();

  constructor(
    private readonly sleep: Sleep,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `job` when no other job for `host` runs and `delayMs` have passed since the last one ended. */
  async run<T>(host: string, delayMs: number, job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.tails.get(host) ?? Promise.resolve();
    let release!: () => void;
    const tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chained = previous.then(() => tail);
    this.tails.set(host, chained);
    try {
      await previous;
      const last = this.lastEnd.get(host);
      const wait = last === undefined ? 0 : last + delayMs - this.now();
      if (wait > 0) await this.sleep(wait, signal);
      signal?.throwIfAborted();
      return await job();
    } finally {
      this.lastEnd.set(host, this.now());
      release();
      if (this.tails.get(host) === chained) this.tails.delete(host);
    }
  }
}
