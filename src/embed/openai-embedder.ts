import type OpenAI from "openai";
import type { Config } from "../config.js";
import { KkrError } from "../errors.js";
import {
  classifyError,
  createOpenAIClient,
  describeApiError,
  endpointHost,
  type FailureKind,
  isRetryable,
  type OpenAIClientDeps,
  realSleep,
  retryAfterMs,
  type Sleep,
} from "../llm/openai-client.js";
import { type Logger, silentLogger } from "../logger.js";
import type { Embedder } from "./embedder.js";

export type OpenAIEmbedderConfig = Pick<Config, "openai" | "embedModel" | "embedDim" | "llmTimeoutMs">;

export interface OpenAIEmbedderDeps extends OpenAIClientDeps {
  /** A ready client (otherwise one is built from config with `fetch`/`logger`). */
  client?: OpenAI;
  /** Backoff clock; tests pass one that resolves at once and records the waits. */
  sleep?: Sleep;
  /** Inputs per HTTP request (default 96). */
  batchSize?: number;
  /** Characters per HTTP request, summed over inputs (default 60,000 ≈ 15–20k tokens). */
  maxBatchChars?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Attempts after the first for 429/5xx/timeouts/connection errors (default 5). */
  retries?: number;
  /** Per-request timeout (default config.llmTimeoutMs). */
  timeoutMs?: number;
  /** Jitter source, for deterministic tests. */
  random?: () => number;
}

export interface OpenAIEmbedderOptions extends Omit<OpenAIEmbedderDeps, "client" | "fetch" | "maxRetries"> {
  client: OpenAI;
  model: string;
  dimensions: number;
  /** Send `dimensions` in requests (only models that support shortening, e.g. text-embedding-3-*). */
  requestDimensions: boolean;
  /** Host for error messages, e.g. "api.openai.com" or "localhost:11434". */
  host: string;
}

// Servers reject empty inputs; a chunk never is empty, but a query of emoji may end up so.
const EMPTY_STAND_IN = " ";
// Longest input sent: 8,191 tokens is OpenAI's limit; Danish runs ~3–4 chars/token, so cap
// well below rather than have one oversized text fail a whole batch.
const MAX_INPUT_CHARS = 24_000;

/**
 * Embeddings from any OpenAI-compatible `/v1/embeddings`. Texts are split into requests
 * by count and size, sent a few at a time, retried with backoff on 429/5xx, and returned
 * in order as L2-normalised Float32Arrays (normalised because some servers, e.g. Ollama
 * models, return raw vectors, and the index compares by distance).
 */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  /**
   * Texts one `embed` call should be given: enough to keep every concurrent request busy.
   * `embed` still accepts any number and splits internally.
   */
  readonly maxBatch: number;

  readonly #client: OpenAI;
  readonly #model: string;
  readonly #requestDimensions: boolean;
  readonly #host: string;
  readonly #apiKey: string | undefined;
  readonly #logger: Logger;
  readonly #sleep: Sleep;
  readonly #batchSize: number;
  readonly #maxBatchChars: number;
  readonly #concurrency: number;
  readonly #retries: number;
  readonly #timeoutMs: number | undefined;
  readonly #random: () => number;

  constructor(options: OpenAIEmbedderOptions) {
    this.#client = options.client;
    this.#model = options.model;
    this.dimensions = options.dimensions;
    this.#requestDimensions = options.requestDimensions;
    this.#host = options.host;
    // Only so error text echoing the key can be scrubbed.
    this.#apiKey = options.client.apiKey ?? undefined;
    this.#logger = (options.logger ?? silentLogger).child({ component: "openai-embedder" });
    this.#sleep = options.sleep ?? realSleep;
    this.#batchSize = Math.max(1, options.batchSize ?? 96);
    this.#maxBatchChars = Math.max(1, options.maxBatchChars ?? 60_000);
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#retries = Math.max(0, options.retries ?? 5);
    this.#timeoutMs = options.timeoutMs;
    this.#random = options.random ?? Math.random;
    this.maxBatch = this.#batchSize * this.#concurrency;
    this.id = `openai:${this.#model}:${this.dimensions}`;
  }

  /**
   * Builds the embedder from config. With KKR_EMBED_DIM set, that size is requested and
   * checked on every response; without it, one probe request discovers the model's size
   * (and fails fast, with a fix, when the server is unreachable or the model unknown).
   */
  static async create(config: OpenAIEmbedderConfig, deps: OpenAIEmbedderDeps = {}): Promise<OpenAIEmbedder> {
    const client =
      deps.client ??
      createOpenAIClient(config, {
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.logger ? { logger: deps.logger } : {}),
        // Retries are ours (injectable clock, more patience during ingest).
        maxRetries: 0,
      });
    const base = {
      ...deps,
      client,
      model: config.embedModel,
      host: endpointHost(config),
      timeoutMs: deps.timeoutMs ?? config.llmTimeoutMs,
    };
    if (config.embedDim !== undefined) {
      return new OpenAIEmbedder({ ...base, dimensions: config.embedDim, requestDimensions: true });
    }
    // Probe with dimensions 0 = "accept whatever comes back", then pin it.
    const probe = new OpenAIEmbedder({ ...base, dimensions: 0, requestDimensions: false });
    const [vector] = await probe.embed(["dimension probe"]);
    const dimensions = vector?.length ?? 0;
    if (dimensions === 0) throw probe.#failure("returned an empty vector", "other");
    return new OpenAIEmbedder({ ...base, dimensions, requestDimensions: false });
  }

  async embed(texts: string[], _kind?: "document" | "query", signal?: AbortSignal): Promise<Float32Array[]> {
    // OpenAI-style models are symmetric, so `kind` is not used.
    const batches = this.#split(texts);
    const out: Float32Array[] = new Array(texts.length);
    let next = 0;
    let failed: unknown;
    // A small worker pool: at most `concurrency` requests in flight; the first failure stops
    // the others from starting new batches.
    const worker = async () => {
      while (failed === undefined && next < batches.length) {
        const batch = batches[next++]!;
        try {
          const vectors = await this.#embedBatch(batch.texts, signal);
          vectors.forEach((v, i) => {
            out[batch.start + i] = v;
          });
        } catch (error) {
          failed ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, batches.length) }, worker));
    if (failed !== undefined) throw failed;
    return out;
  }

  #split(texts: string[]): { start: number; texts: string[] }[] {
    const batches: { start: number; texts: string[] }[] = [];
    let current: string[] = [];
    let chars = 0;
    let start = 0;
    texts.forEach((raw, i) => {
      const text = raw.trim() === "" ? EMPTY_STAND_IN : raw.slice(0, MAX_INPUT_CHARS);
      if (
        current.length > 0 &&
        (current.length >= this.#batchSize || chars + text.length > this.#maxBatchChars)
      ) {
        batches.push({ start, texts: current });
        current = [];
        chars = 0;
        start = i;
      }
      current.push(text);
      chars += text.length;
    });
    if (current.length > 0) batches.push({ start, texts: current });
    return batches;
  }

  async #embedBatch(input: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.#client.embeddings.create(
          {
            model: this.#model,
            input,
            // Floats, not the client's base64 default: Ollama, TEI and older vLLM ignore
            // encoding_format and answer with floats, which the base64 decoder would garble.
            encoding_format: "float",
            ...(this.#requestDimensions ? { dimensions: this.dimensions } : {}),
          },
          {
            maxRetries: 0,
            ...(this.#timeoutMs !== undefined ? { timeout: this.#timeoutMs } : {}),
            ...(signal ? { signal } : {}),
          },
        );
        return this.#vectors(response, input.length);
      } catch (error) {
        if (error instanceof KkrError) throw error;
        if (signal?.aborted) throw signal.reason ?? error;
        if (!isRetryable(error) || attempt >= this.#retries) {
          throw this.#failure(describeApiError(error, this.#apiKey), classifyError(error), error);
        }
        // Exponential backoff with jitter (0.5 s, 1 s, 2 s … capped at 20 s), unless the
        // server says how long to wait.
        const backoff = Math.min(500 * 2 ** attempt, 20_000) * (0.75 + 0.5 * this.#random());
        const wait = retryAfterMs(error) ?? backoff;
        this.#logger.warn(
          { host: this.#host, model: this.#model, attempt: attempt + 1, waitMs: Math.round(wait) },
          `embedding request failed (${describeApiError(error, this.#apiKey)}); retrying`,
        );
        await this.#sleep(wait, signal);
      }
    }
  }

  #vectors(response: OpenAI.Embeddings.CreateEmbeddingResponse, expected: number): Float32Array[] {
    const data = Array.isArray(response?.data) ? response.data : [];
    if (data.length !== expected) {
      throw this.#failure(`returned ${data.length} vectors for ${expected} inputs`, "other");
    }
    // `index` says which input a vector belongs to; servers are not obliged to keep order.
    const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return ordered.map((item) => {
      const raw = item.embedding as unknown;
      const vector = Array.isArray(raw)
        ? Float32Array.from(raw as number[])
        : typeof raw === "string"
          ? decodeBase64(raw)
          : new Float32Array(0);
      if (vector.length === 0 || (this.dimensions > 0 && vector.length !== this.dimensions)) {
        throw this.#failure(
          `returned ${vector.length}-dimensional vectors, expected ${this.dimensions}`,
          "dimensions",
        );
      }
      return normalise(vector);
    });
  }

  #failure(reason: string, kind: FailureKind | "dimensions", cause?: unknown): KkrError {
    const hint = HINTS[kind];
    return new KkrError(
      "EMBEDDER_FAILED",
      `Embedding request to ${this.#host} (model ${this.#model}) failed: ${reason}. ${hint}`,
      { ...(cause !== undefined ? { cause } : {}), details: { host: this.#host, model: this.#model, kind } },
    );
  }
}

const HINTS: Record<FailureKind | "dimensions", string> = {
  auth: "Check OPENAI_API_KEY.",
  not_found:
    "Check KKR_EMBED_MODEL names a model the server has (for Ollama: `ollama pull MODEL`) and that OPENAI_BASE_URL ends in /v1.",
  rate_limit: "The server kept rate-limiting; try again later or use a higher quota.",
  server: "The server kept failing; try again later.",
  timeout: "The server did not answer in time; raise KKR_LLM_TIMEOUT_MS or check the server.",
  connection: "Is the server running and OPENAI_BASE_URL right?",
  bad_request: "Check KKR_EMBED_MODEL and KKR_EMBED_DIM (not every model accepts a dimension).",
  aborted: "The request was cancelled.",
  other: "Check OPENAI_BASE_URL and KKR_EMBED_MODEL, or use KKR_EMBEDDER=hash (offline).",
  dimensions:
    "Unset KKR_EMBED_DIM to use the model's own size, or pick a model that supports shortening (text-embedding-3-*).",
};

function decodeBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  const copy = new Uint8Array(bytes); // own, aligned buffer for the Float32Array view
  return new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
}

function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0 && Math.abs(norm - 1) > 1e-6) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}
