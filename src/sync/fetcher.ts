/**
 * HTTP for the web sync, polite by construction: an identifying User-Agent, one request at
 * a time per host with a pause between (HostGate), a timeout to the headers and between
 * body chunks, retries with backoff on 429/5xx/timeouts honouring Retry-After, and
 * redirects followed by hand so each hop is counted (at most 5), checked against the
 * caller's rules (the source's hosts, robots.txt) and never loops. Node's fetch is injected.
 */
import { setTimeout as sleepTimer } from "node:timers/promises";
import { describeError } from "../errors.js";
import { type Logger, silentLogger } from "../logger.js";
import { HostGate, type Sleep } from "./host-gate.js";

export interface FetcherOptions {
  userAgent: string;
  timeoutMs: number;
  /** Further attempts after a 429, 5xx, timeout or network error. */
  retries: number;
  maxRedirects?: number;
  /** First backoff step; doubles per attempt up to 30 s. Default 1 s. */
  retryBaseMs?: number;
  /** A Retry-After longer than this gives up instead of waiting. Default 2 min. */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
  sleep?: Sleep;
  now?: () => number;
  logger?: Logger;
}

export interface RequestOptions {
  /** Pause between two requests to the url's host (a function: per host, e.g. robots.txt's Crawl-delay). */
  delayMs: number | ((url: URL) => number | Promise<number>);
  headers?: Record<string, string>;
  /** Checked before the first request and every redirect: a reason to refuse the url, or null. */
  allow?: (url: URL) => Promise<string | null> | string | null;
  signal?: AbortSignal;
}

/** A response whose body is still to be read (inside the host's turn). */
export interface FetchedResponse {
  /** The final url, after redirects. */
  url: string;
  status: number;
  headers: Headers;
  /** The urls redirected through, in order. */
  redirects: string[];
  /** The body in chunks; throws BodyError when it stalls past the timeout or is cut off. */
  chunks(): AsyncGenerator<Uint8Array>;
  /** The whole body; throws BodyError past `maxBytes`. */
  bytes(maxBytes: number): Promise<Uint8Array>;
  /** Releases the connection without reading the body. */
  discard(): Promise<void>;
}

export type FetchResult<T> =
  | { ok: true; value: T; url: string }
  | { ok: false; url: string; reason: string; status?: number };

/** Why a body could not be read completely: a stall, a cut connection, too many bytes. */
export class BodyError extends Error {
  override readonly name = "BodyError";
}

const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null || value.trim() === "") return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const statusLine = (r: Response) => `HTTP ${r.status}${r.statusText ? ` ${r.statusText}` : ""}`;

const withoutHash = (u: URL) => {
  const copy = new URL(u);
  copy.hash = "";
  return copy;
};

export class Fetcher {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: Sleep;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly gate: HostGate;

  constructor(private readonly options: FetcherOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms, signal) => sleepTimer(ms, undefined, signal ? { signal } : {}));
    this.now = options.now ?? Date.now;
    this.log = options.logger ?? silentLogger;
    this.gate = new HostGate(this.sleep, this.now);
  }

  get userAgent(): string {
    return this.options.userAgent;
  }

  /**
   * GETs `url`, following redirects, and hands a 2xx or 304 response to `consume` while the
   * host's turn is still held (so reading the body counts as part of the one request).
   * Any other outcome is `{ok: false, reason}`. Aborting `signal` rejects.
   */
  async get<T>(
    url: string,
    options: RequestOptions,
    consume: (response: FetchedResponse) => Promise<T>,
  ): Promise<FetchResult<T>> {
    const maxRedirects = this.options.maxRedirects ?? 5;
    const redirects: string[] = [];
    let current = withoutHash(new URL(url));
    for (;;) {
      const refusal = await options.allow?.(current);
      if (refusal !== null && refusal !== undefined) {
        const reason = redirects.length > 0 ? `redirected to ${current.href}: ${refusal}` : refusal;
        return { ok: false, url, reason };
      }
      const target = current;
      const delayMs = typeof options.delayMs === "function" ? await options.delayMs(target) : options.delayMs;
      const step = await this.gate.run(
        target.host,
        delayMs,
        async (): Promise<{ next: URL } | FetchResult<T>> => {
          const attempt = await this.attempt(target, options);
          if (!attempt.ok) return { ok: false, url, reason: attempt.reason, ...attempt.extra };
          const { response, controller } = attempt;
          const location = response.headers.get("location");
          if (REDIRECT_STATUS.has(response.status) && location) {
            await response.body?.cancel().catch(() => undefined);
            return { next: withoutHash(new URL(location, target)) };
          }
          if (!response.ok && response.status !== 304) {
            await response.body?.cancel().catch(() => undefined);
            return { ok: false, url, reason: statusLine(response), status: response.status };
          }
          const wrapped = this.wrap(response, controller, target.href, [...redirects], options.signal);
          try {
            return { ok: true, url: target.href, value: await consume(wrapped) };
          } finally {
            await wrapped.discard();
          }
        },
        options.signal,
      );
      if (!("next" in step)) return step;
      redirects.push(target.href);
      const next = step.next;
      if (next.href === target.href || redirects.includes(next.href)) {
        return { ok: false, url, reason: `redirect loop (${[...redirects, next.href].join(" → ")})` };
      }
      if (redirects.length > maxRedirects) {
        return { ok: false, url, reason: `more than ${maxRedirects} redirects (last to ${next.href})` };
      }
      current = next;
    }
  }

  /** One url with retries: a response with headers, or why not. */
  private async attempt(
    url: URL,
    options: RequestOptions,
  ): Promise<
    | { ok: true; response: Response; controller: AbortController }
    | { ok: false; reason: string; extra?: { status: number } }
  > {
    const { timeoutMs, retries } = this.options;
    const base = this.options.retryBaseMs ?? 1_000;
    const maxRetryAfter = this.options.maxRetryAfterMs ?? 120_000;
    for (let attempt = 0; ; attempt++) {
      const backoff = Math.min(base * 2 ** attempt, 30_000);
      const controller = new AbortController();
      const onAbort = () => controller.abort(options.signal?.reason);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new Error("timeout"));
      }, timeoutMs);
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          redirect: "manual",
          signal: controller.signal,
          headers: { "user-agent": this.options.userAgent, ...options.headers },
        });
      } catch (error) {
        options.signal?.throwIfAborted();
        const reason = timedOut
          ? `timed out after ${timeoutMs} ms`
          : `network error: ${describeError((error as { cause?: unknown }).cause ?? error)}`;
        if (attempt >= retries) return { ok: false, reason: attemptsNote(reason, attempt) };
        this.log.debug({ url: url.href, reason, attempt }, "sync: retrying");
        await this.sleep(backoff, options.signal);
        continue;
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
      }
      if (!RETRY_STATUS.has(response.status)) return { ok: true, response, controller };
      await response.body?.cancel().catch(() => undefined);
      const asked = retryAfterMs(response.headers.get("retry-after"), this.now());
      const reason = statusLine(response);
      if (attempt >= retries) {
        return { ok: false, reason: attemptsNote(reason, attempt), extra: { status: response.status } };
      }
      if (asked !== null && asked > maxRetryAfter) {
        return {
          ok: false,
          reason: `${reason}; the server asks to wait ${Math.round(asked / 1000)} s, so it is left for the next sync`,
          extra: { status: response.status },
        };
      }
      const wait = asked ?? backoff;
      this.log.debug({ url: url.href, status: response.status, waitMs: wait, attempt }, "sync: retrying");
      await this.sleep(wait, options.signal);
    }
  }

  private wrap(
    response: Response,
    controller: AbortController,
    url: string,
    redirects: string[],
    signal: AbortSignal | undefined,
  ): FetchedResponse {
    const timeoutMs = this.options.timeoutMs;
    let consumed = false;
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    async function* chunks(): AsyncGenerator<Uint8Array> {
      if (consumed) throw new BodyError("body already read");
      consumed = true;
      const body = response.body;
      if (!body) return;
      const reader = body.getReader();
      try {
        for (;;) {
          let stalled = false;
          const timer = setTimeout(() => {
            stalled = true;
            controller.abort(new Error("stalled"));
          }, timeoutMs);
          let step: Awaited<ReturnType<typeof reader.read>>;
          try {
            step = await reader.read();
          } catch (error) {
            signal?.throwIfAborted();
            if (stalled) throw new BodyError(`no data for ${timeoutMs} ms (timed out mid-download)`);
            throw new BodyError(`connection closed before the end (${describeError(error)})`);
          } finally {
            clearTimeout(timer);
          }
          if (step.done) return;
          yield step.value;
        }
      } finally {
        reader.releaseLock();
      }
    }
    return {
      url,
      status: response.status,
      headers: response.headers,
      redirects,
      chunks,
      async bytes(maxBytes: number) {
        const parts: Uint8Array[] = [];
        let total = 0;
        for await (const chunk of chunks()) {
          total += chunk.byteLength;
          if (total > maxBytes) throw new BodyError(`larger than ${maxBytes} bytes`);
          parts.push(chunk);
        }
        return Buffer.concat(parts);
      },
      async discard() {
        signal?.removeEventListener("abort", onAbort);
        if (!response.bodyUsed && !consumed) await response.body?.cancel().catch(() => undefined);
        else if (consumed) controller.abort(new Error("done"));
      },
    };
  }
}

function attemptsNote(reason: string, attempt: number): string {
  return attempt === 0 ? reason : `${reason} (after ${attempt + 1} attempts)`;
}
