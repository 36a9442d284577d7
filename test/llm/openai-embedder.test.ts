import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OpenAIEmbedder, type OpenAIEmbedderDeps } from "../../src/embed/openai-embedder.js";
import { isKkrError } from "../../src/errors.js";
import { createOpenAIClient, PLACEHOLDER_API_KEY } from "../../src/llm/openai-client.js";
import {
  defaultReply,
  embeddingInputs,
  embeddingReply,
  errorReply,
  fakeVector,
  useOpenAIServer,
} from "../helpers/openai-server.js";
import { captureLogger, llmConfig, SECRET_KEY } from "./fixtures.js";

const ctx = useOpenAIServer();

/** Records backoff waits instead of sleeping. */
function fakeClock() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

function make(deps: OpenAIEmbedderDeps = {}, embedDim?: number) {
  return OpenAIEmbedder.create(llmConfig(ctx.server.baseURL, { embedDim }), { random: () => 0.5, ...deps });
}

function unit(v: number[]): number[] {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function assertClose(actual: Float32Array | undefined, expected: number[]) {
  assert.ok(actual);
  assert.equal(actual.length, expected.length);
  expected.forEach((x, i) => {
    assert.ok(Math.abs((actual[i] ?? Number.NaN) - x) < 1e-5, `component ${i}`);
  });
}

describe("OpenAIEmbedder", () => {
  test("probes the dimension when not configured; id names model and dimension", async () => {
    const embedder = await make();
    assert.equal(embedder.dimensions, 8);
    assert.equal(embedder.id, "openai:test-embed:8");
    const [probe] = ctx.server.requestsTo("/embeddings");
    const body = probe?.body as { model: string; encoding_format: string; dimensions?: number };
    assert.equal(body.model, "test-embed");
    assert.equal(body.encoding_format, "float");
    assert.equal(body.dimensions, undefined);
    assert.equal(probe?.headers.authorization, `Bearer ${SECRET_KEY}`);
  });

  test("a configured dimension is requested, with no probe", async () => {
    const embedder = await make({}, 16);
    assert.equal(ctx.server.requests.length, 0);
    assert.equal(embedder.id, "openai:test-embed:16");
    const [v] = await embedder.embed(["hej"]);
    assert.equal(v?.length, 16);
    const body = ctx.server.requests[0]?.body as { dimensions: number };
    assert.equal(body.dimensions, 16);
  });

  test("batches by count and by characters, and returns vectors in input order", async () => {
    const embedder = await make({ batchSize: 3, maxBatchChars: 25 });
    ctx.server.requests.length = 0;
    const texts = ["a1", "b2", "c3", "d4", "e5", "f6", "g7", "x".repeat(20), "y".repeat(20), "z"];
    // The server answers each batch out of order; `index` must put them back.
    ctx.server.fallback = (req) => {
      const inputs = embeddingInputs(req);
      const reply = embeddingReply(inputs.map((t) => fakeVector(t)));
      const data = (reply.json as { data: unknown[] }).data;
      return { json: { ...(reply.json as object), data: [...data].reverse() } };
    };
    const vectors = await embedder.embed(texts);
    const batches = ctx.server.requestsTo("/embeddings").map(embeddingInputs);
    assert.deepEqual(batches, [
      ["a1", "b2", "c3"],
      ["d4", "e5", "f6"],
      ["g7", "x".repeat(20)],
      ["y".repeat(20), "z"],
    ]);
    assert.equal(vectors.length, texts.length);
    for (const [i, t] of texts.entries()) assertClose(vectors[i], unit(fakeVector(t)));
  });

  test("keeps at most `concurrency` requests in flight", async () => {
    const embedder = await make({ batchSize: 2, concurrency: 3 });
    ctx.server.fallback = (req) => ({ ...defaultReply(req), delayMs: 40 });
    const texts = Array.from({ length: 20 }, (_, i) => `tekst ${i}`);
    const vectors = await embedder.embed(texts);
    assert.equal(ctx.server.requestsTo("/embeddings").length, 1 + 10, "probe + 10 batches");
    assert.equal(ctx.server.maxInFlight, 3);
    assert.equal(embedder.maxBatch, 6, "a caller's batch fills every concurrent request");
    for (const [i, t] of texts.entries()) assertClose(vectors[i], unit(fakeVector(t)));
  });

  test("retries 429 and 5xx with backoff, honouring Retry-After", async () => {
    const clock = fakeClock();
    const embedder = await make({ sleep: clock.sleep });
    ctx.server.requests.length = 0;
    ctx.server.enqueue(
      errorReply(429, "slow down", { "retry-after-ms": "250" }),
      { ...errorReply(503), headers: {} },
      { ...errorReply(500), headers: {} },
    );
    const [v] = await embedder.embed(["hej"]);
    assertClose(v, unit(fakeVector("hej")));
    assert.equal(ctx.server.requests.length, 4);
    // 250 from the server; then 500 ms × 2^attempt (attempts 1 and 2; jitter fixed at ×1).
    assert.deepEqual(clock.waits, [250, 1000, 2000]);
  });

  test("gives up after its retries with EMBEDDER_FAILED naming host and model, never the key", async () => {
    const clock = fakeClock();
    const capture = captureLogger();
    const embedder = await make({ sleep: clock.sleep, retries: 2, logger: capture.logger });
    ctx.server.fallback = () => errorReply(500, `boom for ${SECRET_KEY}`);
    const error = await embedder.embed(["hej"]).then(
      () => assert.fail("should fail"),
      (e: unknown) => e,
    );
    assert.ok(isKkrError(error, "EMBEDDER_FAILED"));
    const host = new URL(ctx.server.baseURL).host;
    assert.ok(error.message.includes(host), error.message);
    assert.ok(error.message.includes("test-embed"));
    assert.ok(error.message.includes("HTTP 500"));
    assert.ok(!error.message.includes(SECRET_KEY));
    assert.equal(clock.waits.length, 2);
    assert.ok(capture.text().includes("retrying"));
    assert.ok(!capture.text().includes(SECRET_KEY));
  });

  test("auth and unknown-model errors are not retried and say how to fix them", async () => {
    const embedder = await make({ sleep: fakeClock().sleep });
    ctx.server.requests.length = 0;
    ctx.server.enqueue(errorReply(401, "Incorrect API key provided: sk-test-SECR**********cdef"));
    await assert.rejects(
      embedder.embed(["x"]),
      (e: Error) => /OPENAI_API_KEY/.test(e.message) && !/sk-test/.test(e.message),
    );
    ctx.server.enqueue(errorReply(404, "model not found"));
    await assert.rejects(embedder.embed(["x"]), /KKR_EMBED_MODEL/);
    assert.equal(ctx.server.requests.length, 2);
  });

  test("an unreachable server fails creation with a clear message", async () => {
    const config = llmConfig("http://127.0.0.1:1/v1");
    await assert.rejects(
      OpenAIEmbedder.create(config, { sleep: fakeClock().sleep, retries: 1 }),
      (e: Error) =>
        isKkrError(e, "EMBEDDER_FAILED") && /127\.0\.0\.1:1/.test(e.message) && /running/.test(e.message),
    );
  });

  test("a wrong-sized vector is an error, not silently stored", async () => {
    const embedder = await make({}, 8);
    ctx.server.enqueue(embeddingReply([[1, 2, 3]]));
    await assert.rejects(embedder.embed(["x"]), /3-dimensional vectors, expected 8/);
  });

  test("times out slow requests and retries them", async () => {
    const clock = fakeClock();
    const embedder = await make({ sleep: clock.sleep, timeoutMs: 500 });
    ctx.server.requests.length = 0;
    ctx.server.enqueue({
      ...defaultReply({
        method: "POST",
        path: "/embeddings",
        query: {},
        headers: {},
        body: { input: ["x"] },
        seq: 0,
      }),
      delayMs: 2000,
    });
    const [v] = await embedder.embed(["x"]);
    assertClose(v, unit(fakeVector("x")));
    assert.equal(ctx.server.requests.length, 2);
    assert.equal(clock.waits.length, 1);
  });

  test("empty inputs are sent as a space (servers reject empty strings)", async () => {
    const embedder = await make();
    ctx.server.requests.length = 0;
    const out = await embedder.embed(["", "hej"]);
    assert.equal(out.length, 2);
    assert.deepEqual(embeddingInputs(ctx.server.requests[0]!), [" ", "hej"]);
  });
});

describe("createOpenAIClient", () => {
  test("only a base URL (Ollama/vLLM): a placeholder key is sent", async () => {
    const client = createOpenAIClient({
      openai: { apiKey: undefined, baseURL: ctx.server.baseURL },
      llmTimeoutMs: 5000,
    });
    await client.models.list();
    assert.equal(ctx.server.requests[0]?.headers.authorization, `Bearer ${PLACEHOLDER_API_KEY}`);
  });

  test("a query string in the base URL (Azure api-version) goes to every request", async () => {
    const base = `${ctx.server.baseURL}/openai/deployments/my-gpt?api-version=2024-10-21`;
    const client = createOpenAIClient({ openai: { apiKey: SECRET_KEY, baseURL: base }, llmTimeoutMs: 5000 });
    await client.chat.completions.create({ model: "my-gpt", messages: [{ role: "user", content: "hej" }] });
    const [req] = ctx.server.requests;
    assert.equal(req?.path, "/openai/deployments/my-gpt/chat/completions");
    assert.deepEqual(req?.query, { "api-version": "2024-10-21" });
  });
});
