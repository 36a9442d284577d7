/**
 * robots.txt per origin, read once per sync with robots-parser. As RFC 9309 says: a
 * missing file (4xx) allows everything; an unreachable one (5xx, 429, network error after
 * retries) disallows everything on that host until the next sync.
 */
import { createRequire } from "node:module";
import { describeError } from "../errors.js";
import type { Fetcher } from "./fetcher.js";

/** RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt. */
const MAX_ROBOTS_BYTES = 512 * 1024;
/** A Crawl-delay above this is capped: one page a minute is as slow as a sync goes. */
const MAX_CRAWL_DELAY_MS = 60_000;

interface RobotsRules {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}

type Entry = { rules: RobotsRules } | { unreachable: string };

// robots-parser is CommonJS (module.exports = function) while its typings declare an ES
// default export; require() gives the function under both module systems.
const robotsParser = createRequire(import.meta.url)("robots-parser") as (
  url: string,
  text: string,
) => RobotsRules;

export class RobotsCache {
  private readonly entries = new Map<string, Promise<Entry>>();

  constructor(
    private readonly fetcher: Fetcher,
    private readonly delayMs: number,
    private readonly signal?: AbortSignal,
  ) {}

  /** Null when the url may be fetched, else the reason it may not. */
  async check(url: URL): Promise<string | null> {
    const entry = await this.entry(url);
    if ("unreachable" in entry) return `robots.txt of ${url.host} could not be read (${entry.unreachable})`;
    return entry.rules.isAllowed(url.href, this.fetcher.userAgent) === false
      ? "disallowed by robots.txt"
      : null;
  }

  /** The host's Crawl-delay for our User-Agent in ms (capped), or 0. */
  async crawlDelayMs(url: URL): Promise<number> {
    const entry = await this.entry(url);
    if ("unreachable" in entry) return 0;
    const seconds = entry.rules.getCrawlDelay(this.fetcher.userAgent);
    return seconds && seconds > 0 ? Math.min(seconds * 1000, MAX_CRAWL_DELAY_MS) : 0;
  }

  private entry(url: URL): Promise<Entry> {
    const origin = url.origin;
    let entry = this.entries.get(origin);
    if (!entry) {
      entry = this.load(origin);
      this.entries.set(origin, entry);
    }
    return entry;
  }

  private async load(origin: string): Promise<Entry> {
    const robotsUrl = `${origin}/robots.txt`;
    const options = { delayMs: this.delayMs, ...(this.signal ? { signal: this.signal } : {}) };
    try {
      const result = await this.fetcher.get(robotsUrl, options, async (response) => {
        if (response.status === 304) return "";
        return Buffer.from(await response.bytes(MAX_ROBOTS_BYTES)).toString("utf8");
      });
      if (result.ok) return { rules: robotsParser(robotsUrl, result.value) };
      if (
        result.status !== undefined &&
        result.status >= 400 &&
        result.status < 500 &&
        result.status !== 429
      ) {
        return { rules: robotsParser(robotsUrl, "") };
      }
      return { unreachable: result.reason };
    } catch (error) {
      this.signal?.throwIfAborted();
      return { unreachable: describeError(error) };
    }
  }
}
