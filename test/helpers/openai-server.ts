import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach } from "node:test";

/**
 * A local OpenAI-compatible HTTP server for tests: point the real `openai` client at
 * `server.baseURL` and script what it answers. No network leaves 127.0.0.1.
 *
 *   const server = await startOpenAIServer();
 *   server.enqueue(chatReply("Svaret er X [1]."), errorReply(500));
 *   const client = createOpenAIClient({ openai: { apiKey: "sk-test", baseURL: server.baseURL }, llmTimeoutMs: 5000 });
 *   …
 *   server.requests[0]?.body            // parsed JSON the client sent
 *   await server.close();
 *
 * Responses come from the queue (FIFO, whatever the route) and, when it is empty, from
 * `server.fallback` — by default: chat → "OK", embeddings → deterministic vectors
 * (8 dimensions, or the request's `dimensions`), GET /models → one model, else 404.
 * Error replies carry `retry-after-ms: 1` so the client's retries don't slow tests down.
 */

export interface RecordedRequest {
  method: string;
  /** Path without the /v1 prefix and query, e.g. "/chat/completions". */
  path: string;
  /** Query string parameters. */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it isn't JSON (undefined when empty). */
  body: unknown;
  /** 1-based number of the request since start. */
  seq: number;
}

export interface ScriptedReply {
  status?: number;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (instead of json), e.g. to test a garbled response. */
  text?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (timeouts, concurrency). */
  delayMs?: number;
}

/** A reply, or a function that builds one from the request (e.g. one vector per input). */
export type Reply = ScriptedReply | ((req: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>);

export interface OpenAITestServer {
  /** Base URL to give the client, ending in /v1. */
  readonly baseURL: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Requests being answered right now, and the most there ever were at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Queue replies for the next requests, in order. */
  enqueue(...replies: Reply[]): void;
  /** Answers requests when the queue is empty; replace it to change the default. */
  fallback: (req: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;
  /** Requests whose path ends with `suffix` (e.g. "/chat/completions"). */
  requestsTo(suffix: string): RecordedRequest[];
  close(): Promise<void>;
}

/** A chat completion whose assistant message is `content`. */
export function chatReply(
  content: string,
  extra: { model?: string; finishReason?: string } = {},
): ScriptedReply {
  return {
    json: {
      id: "chatcmpl-test",
      object: "chat.completion",
      created: 1_700_000_000,
      model: extra.model ?? "test-model",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content, refusal: null },
          finish_reason: extra.finishReason ?? "stop",
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    },
  };
}

/** An embeddings response with these vectors, index = position. */
export function embeddingReply(vectors: number[][], model = "test-embed"): ScriptedReply {
  return {
    json: {
      object: "list",
      model,
      data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })),
      usage: { prompt_tokens: vectors.length, total_tokens: vectors.length },
    },
  };
}

/** An OpenAI-style error body with `status`; fast to retry (retry-after-ms: 1). */
export function errorReply(
  status: number,
  message = `test error ${status}`,
  headers: Record<string, string> = {},
): ScriptedReply {
  return {
    status,
    json: { error: { message, type: status === 429 ? "rate_limit_exceeded" : "server_error", code: null } },
    headers: { "retry-after-ms": "1", ...headers },
  };
}

/** A deterministic pseudo-embedding of `text` (same text → same vector). */
export function fakeVector(text: string, dimensions = 8): number[] {
  const digest = createHash("sha256").update(text).digest();
  return Array.from({ length: dimensions }, (_, i) => ((digest[i % digest.length] ?? 0) - 127.5) / 128);
}

/** The inputs of an embeddings request, always as an array. */
export function embeddingInputs(req: RecordedRequest): string[] {
  const input = (req.body as { input?: unknown } | undefined)?.input;
  return Array.isArray(input) ? input.map(String) : input === undefined ? [] : [String(input)];
}

/** The messages of a chat request. */
export function chatMessages(req: RecordedRequest): { role: string; content: string }[] {
  const messages = (req.body as { messages?: unknown } | undefined)?.messages;
  return Array.isArray(messages) ? (messages as { role: string; content: string }[]) : [];
}

export function defaultReply(req: RecordedRequest): ScriptedReply {
  if (req.method === "POST" && req.path.endsWith("/chat/completions")) return chatReply("OK");
  if (req.method === "POST" && req.path.endsWith("/embeddings")) {
    const dims = Number((req.body as { dimensions?: unknown } | undefined)?.dimensions) || 8;
    return embeddingReply(embeddingInputs(req).map((t) => fakeVector(t, dims)));
  }
  if (req.method === "GET" && req.path.endsWith("/models")) {
    return { json: { object: "list", data: [{ id: "test-model", object: "model", owned_by: "test" }] } };
  }
  return errorReply(404, `no route ${req.method} ${req.path}`);
}

export async function startOpenAIServer(): Promise<OpenAITestServer> {
  const requests: RecordedRequest[] = [];
  const queue: Reply[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let maxInFlight = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const send = (res: ServerResponse, reply: ScriptedReply) => {
    // The client may have given up (timeout/abort) while we were waiting.
    if (res.destroyed || res.writableEnded) return;
    const body = reply.text ?? (reply.json === undefined ? "" : JSON.stringify(reply.json));
    res.writeHead(reply.status ?? 200, {
      "content-type": reply.text === undefined ? "application/json" : "text/plain",
      ...reply.headers,
    });
    res.end(body);
  };

  const api: OpenAITestServer = {
    baseURL: "",
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    fallback: defaultReply,
    requestsTo: (suffix) => requests.filter((r) => r.path.endsWith(suffix)),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = raw === "" ? undefined : JSON.parse(raw);
      } catch {
        body = raw;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        path: url.pathname.replace(/^\/v1(?=\/)/, ""),
        query: Object.fromEntries(url.searchParams.entries()),
        headers: req.headers,
        body,
        seq: requests.length + 1,
      };
      requests.push(recorded);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const next = queue.shift() ?? api.fallback;
        const reply = typeof next === "function" ? await next(recorded) : next;
        if (reply.delayMs) await wait(reply.delayMs);
        send(res, reply);
      } catch (error) {
        send(res, errorReply(500, `test server handler failed: ${String(error)}`));
      } finally {
        inFlight--;
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  (api as { baseURL: string }).baseURL = `http://127.0.0.1:${port}/v1`;
  return api;
}

/**
 * One server for a test file: started before its tests, reset before each (requests
 * cleared, default replies), closed after. Call at the top level of the file.
 */
export function useOpenAIServer(): { server: OpenAITestServer } {
  const ref = {} as { server: OpenAITestServer };
  before(async () => {
    ref.server = await startOpenAIServer();
  });
  after(async () => {
    await ref.server.close();
  });
  beforeEach(() => {
    ref.server.requests.length = 0;
    ref.server.fallback = defaultReply;
  });
  return ref;
}
