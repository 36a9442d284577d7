import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  type ClientOptions,
} from "openai";
import type { Config } from "../config.js";
import { type Logger, silentLogger } from "../logger.js";

/**
 * One place that turns config into an `OpenAI` client for any OpenAI-compatible server:
 * OpenAI itself, Azure OpenAI, Ollama, vLLM, TEI, LM Studio.
 *
 * Assumptions (documented here because the README points at this file):
 * - Only `OPENAI_BASE_URL` set (Ollama `http://localhost:11434/v1`, vLLM `http://host:8000/v1`):
 *   those servers ignore the key, but the `openai` package refuses to start without one,
 *   so a placeholder is sent.
 * - Azure OpenAI: use the v1 endpoint, `OPENAI_BASE_URL=https://RESOURCE.openai.azure.com/openai/v1`
 *   with `OPENAI_API_KEY` set to the resource key, and the *deployment name* as
 *   `KKR_CHAT_MODEL` / `KKR_EMBED_MODEL`. The v1 endpoint takes the key as a bearer token,
 *   exactly like OpenAI (Microsoft's documented way to use the plain OpenAI client).
 *   Best effort for the older per-deployment form
 *   (`https://RESOURCE.openai.azure.com/openai/deployments/NAME?api-version=2024-10-21`):
 *   the key is also sent as the `api-key` header those endpoints read, and the query
 *   string is moved to every request's query (the client would otherwise glue the path
 *   after it). Entra ID tokens are not supported.
 * - The client's own retries (429, 408/409, 5xx, connection errors; exponential backoff with
 *   jitter, honouring Retry-After / retry-after-ms) are used for chat calls. The embedder
 *   does its own retries so its backoff clock can be injected and it can retry longer.
 */

/** Sent when no key is configured; keyless local servers ignore it. Not a secret. */
export const PLACEHOLDER_API_KEY = "kkr-no-key";

export type OpenAIConfig = Pick<Config, "openai" | "llmTimeoutMs">;

export interface OpenAIClientDeps {
  /** HTTP implementation; tests pass their own, production uses global fetch. */
  fetch?: ClientOptions["fetch"];
  logger?: Logger;
  /** Retries of the client itself for 429/5xx/connection errors (default 2). */
  maxRetries?: number;
}

const DEFAULT_BASE_URL = "https://api.openai.com/v1";

export function isAzureHost(host: string): boolean {
  return /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i.test(host);
}

/** The host (and port) requests go to, for error messages: never includes credentials. */
export function endpointHost(config: Pick<Config, "openai">): string {
  try {
    return new URL(config.openai.baseURL ?? DEFAULT_BASE_URL).host;
  } catch {
    return "(invalid OPENAI_BASE_URL)";
  }
}

export function createOpenAIClient(config: OpenAIConfig, deps: OpenAIClientDeps = {}): OpenAI {
  const logger = (deps.logger ?? silentLogger).child({ component: "openai" });
  const { baseURL, defaultQuery } = splitBaseURL(config.openai.baseURL ?? DEFAULT_BASE_URL);
  const apiKey = config.openai.apiKey ?? PLACEHOLDER_API_KEY;
  const host = endpointHost(config);
  const options: ClientOptions = {
    apiKey,
    baseURL,
    timeout: config.llmTimeoutMs,
    maxRetries: deps.maxRetries ?? 2,
    // Route the client's own log lines through pino (which redacts by key); the client
    // already masks Authorization/api-key headers in what it logs.
    logger: pinoAdapter(logger, config.openai.apiKey),
    logLevel: logger.isLevelEnabled("debug") ? "debug" : "warn",
  };
  if (defaultQuery) options.defaultQuery = defaultQuery;
  if (config.openai.apiKey && isAzureHost(host) && /\/openai\/deployments\//.test(baseURL)) {
    options.defaultHeaders = { "api-key": config.openai.apiKey };
  }
  if (deps.fetch) options.fetch = deps.fetch;
  return new OpenAI(options);
}

/** Moves a query string (Azure's api-version) out of the base URL into default query params. */
function splitBaseURL(raw: string): { baseURL: string; defaultQuery?: Record<string, string> } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { baseURL: raw };
  }
  if (url.search === "") return { baseURL: raw.replace(/\/+$/, "") };
  const defaultQuery = Object.fromEntries(url.searchParams.entries());
  url.search = "";
  return { baseURL: url.toString().replace(/\/+$/, ""), defaultQuery };
}

function pinoAdapter(logger: Logger, apiKey: string | undefined): NonNullable<ClientOptions["logger"]> {
  // The client masks auth headers itself; scrubbing the rest too guards against a server
  // echoing the key in a body or header the client logs at debug level.
  const scrub = (value: unknown): unknown => {
    try {
      return JSON.parse(redactSecrets(JSON.stringify(value) ?? "null", apiKey));
    } catch {
      return "[unloggable]";
    }
  };
  const wrap =
    (level: "debug" | "info" | "warn" | "error") =>
    (message: string, ...rest: unknown[]) => {
      const msg = redactSecrets(String(message), apiKey);
      if (rest.length === 0) logger[level](msg);
      else logger[level]({ details: scrub(rest.length === 1 ? rest[0] : rest) }, msg);
    };
  return { debug: wrap("debug"), info: wrap("info"), warn: wrap("warn"), error: wrap("error") };
}

/**
 * Removes anything that looks like an API key from text we log or show. Servers echo
 * (partially masked) keys in 401 messages ("Incorrect API key provided: sk-abc…xyz").
 */
export function redactSecrets(text: string, apiKey?: string): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join("[redacted]");
  return out
    .replace(/\b(sk|pk|rk)-[A-Za-z0-9_*.-]{6,}/g, "[redacted]")
    .replace(/(Bearer\s+)[^\s"']+/gi, "$1[redacted]");
}

/** What went wrong with a call, classified for retry decisions and user-facing hints. */
export type FailureKind =
  | "timeout"
  | "connection"
  | "auth"
  | "not_found"
  | "rate_limit"
  | "server"
  | "bad_request"
  | "aborted"
  | "other";

export function classifyError(error: unknown): FailureKind {
  if (error instanceof APIUserAbortError) return "aborted";
  if (error instanceof APIConnectionTimeoutError) return "timeout";
  if (error instanceof APIConnectionError) return "connection";
  if (error instanceof APIError) {
    const status = error.status;
    if (status === undefined) return "other";
    if (status === 401 || status === 403) return "auth";
    if (status === 404) return "not_found";
    if (status === 429) return "rate_limit";
    if (status === 408 || status === 409 || status >= 500) return "server";
    if (status >= 400) return "bad_request";
  }
  if (error instanceof Error && error.name === "AbortError") return "aborted";
  return "other";
}

/** True for failures worth retrying: rate limits, server errors, timeouts, dropped connections. */
export function isRetryable(error: unknown): boolean {
  const kind = classifyError(error);
  return kind === "rate_limit" || kind === "server" || kind === "timeout" || kind === "connection";
}

/** A short, secret-free description of an error from the client: status and first line. */
export function describeApiError(error: unknown, apiKey?: string): string {
  let text: string;
  if (error instanceof APIError && error.status !== undefined) {
    text = `HTTP ${error.status}: ${error.message.split("\n")[0] ?? ""}`;
  } else if (error instanceof Error) {
    text = error.message.split("\n")[0] ?? error.name;
  } else {
    text = String(error);
  }
  return redactSecrets(text, apiKey).slice(0, 300);
}

/** Server-requested wait from Retry-After / retry-after-ms, when present and sane. */
export function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof APIError) || !error.headers) return undefined;
  const ms = Number.parseFloat(error.headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0 && ms < 60_000) return ms;
  const header = error.headers.get("retry-after");
  if (!header) return undefined;
  const seconds = Number.parseFloat(header);
  const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(wait) && wait >= 0 && wait < 60_000 ? wait : undefined;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** setTimeout-based sleep that rejects when `signal` aborts; the default backoff clock. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
