import assert from "node:assert/strict";
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runIngest } from "../../ingest/pipeline.js";
import { type Config, loadConfig } from "../../src/config.js";
import { createEmbedder } from "../../src/embed/create-embedder.js";
import { KEYWORDS_ONLY_NOTE, Kkr } from "../../src/kkr.js";
import { KkrStore } from "../../src/store/store.js";
import { CORPUS_DIR, tempDir } from "../helpers/index-fixture.js";
import {
  defaultReply,
  embeddingInputs,
  embeddingReply,
  errorReply,
  fakeVector,
  type OpenAITestServer,
  type RecordedRequest,
  startOpenAIServer,
} from "../helpers/openai-server.js";

/**
 * Issue 8.6: an embeddings endpoint that returns NaN, infinite or wrong-sized vectors, or
 * fails or hangs. Ingest skips the affected document with a reason (no raw Lance error);
 * a question falls back to BM25 alone, with a note, within the time budget.
 */

const ctx = {} as { server: OpenAITestServer };
const tmp = tempDir("kkr-embed-");
after(async () => {
  await ctx.server.close();
  tmp.cleanup();
});
const docs = join(tmp.path, "docs");
const db = join(tmp.path, "db");
let config: Config;

/** base64 float32, as servers send with encoding_format=base64 (NaN survives it; JSON can't carry it). */
const base64 = (values: number[]) => Buffer.from(new Float32Array(values).buffer).toString("base64");

/** Embeddings as usual, except for inputs carrying a marker word. */
function embeddings(req: RecordedRequest) {
  if (!req.path.endsWith("/embeddings")) return defaultReply(req);
  const inputs = embeddingInputs(req);
  const reply = embeddingReply(inputs.map((t) => fakeVector(t, 8)));
  const data = (reply.json as { data: { embedding: unknown }[] }).data;
  inputs.forEach((t, i) => {
    const item = data[i];
    if (!item) return;
    if (t.includes("NANDOKUMENT")) item.embedding = base64([Number.NaN, ...fakeVector(t, 7)]);
    if (t.includes("UENDELIGDOKUMENT"))
      item.embedding = base64([Number.POSITIVE_INFINITY, ...fakeVector(t, 7)]);
  });
  // a server that shortens vectors for one document's texts
  if (inputs.some((t) => t.includes("KORTDOKUMENT"))) {
    for (const item of data) item.embedding = [0.5, 0.5, 0.5, 0.5];
  }
  return reply;
}

before(async () => {
  ctx.server = await startOpenAIServer();
  cpSync(CORPUS_DIR, docs, { recursive: true });
  writeFileSync(join(docs, "nan.md"), "# NANDOKUMENT\n\nKKR Nordjylland drøftede NANDOKUMENT om havne.");
  writeFileSync(
    join(docs, "uendelig.md"),
    "# UENDELIGDOKUMENT\n\nKKR Midtjylland om UENDELIGDOKUMENT og veje.",
  );
  writeFileSync(join(docs, "kort.md"), "# KORTDOKUMENT\n\nKKR Hovedstaden om KORTDOKUMENT og metro.");
  config = loadConfig({
    KKR_DB: db,
    KKR_LOG_LEVEL: "silent",
    KKR_EMBEDDER: "openai",
    KKR_EMBED_MODEL: "test-embed",
    KKR_EMBED_DIM: "8",
    OPENAI_BASE_URL: ctx.server.baseURL,
    KKR_ANSWER_MODE: "extractive",
    KKR_LLM_TIMEOUT_MS: "3000",
  });
});

describe("invalid vectors at ingest", () => {
  test("NaN, infinite and wrong-sized vectors fail only their document, with a reason", async () => {
    ctx.server.fallback = embeddings;
    const embedder = await createEmbedder(config, {});
    const store = await KkrStore.open(db, { create: true });
    try {
      const s = await runIngest(store, embedder, { dir: docs, maxFileBytes: 1e8, parseTimeoutMs: 20_000 });
      assert.equal(s.added.length, 5, s.skipped.map((k) => `${k.source}: ${k.reason}`).join("; "));
      const reason = (source: string) => s.skipped.find((k) => k.source === source)?.reason ?? "";
      assert.match(reason("nan.md"), /invalid vector for chunk 1 \(NaN values\)/);
      assert.match(reason("uendelig.md"), /invalid vector for chunk 1 \((NaN|infinite) values\)/);
      assert.match(reason("kort.md"), /4-dimensional vectors, expected 8/);
      for (const k of s.skipped) assert.doesNotMatch(k.reason, /\.rs\b|lance error|rust/i);
      assert.equal(s.documents, 5);
    } finally {
      store.close();
    }
  });
});

describe("a question when the query can't be embedded", () => {
  let kkr: Kkr;
  before(async () => {
    ctx.server.fallback = embeddings;
    kkr = await Kkr.open(config, { llmAnswerer: null, rewriter: null });
  });
  after(() => kkr.close());

  const cases: [string, (req: RecordedRequest) => ReturnType<typeof defaultReply>][] = [
    ["HTTP 500 on every try", () => errorReply(500)],
    ["a hang", (req) => ({ ...embeddings(req), delayMs: 20_000 })],
    [
      "a NaN vector",
      () => ({ json: { data: [{ index: 0, embedding: base64(Array(8).fill(Number.NaN)) }] } }),
    ],
    ["a vector of the wrong size", () => embeddingReply([[1, 2, 3]])],
  ];
  for (const [label, reply] of cases) {
    test(`${label}: BM25 alone answers, with a note, inside the budget`, async () => {
      ctx.server.fallback = reply;
      const t0 = performance.now();
      const r = await kkr.ask("Hvem er formand for KKR Sjælland?");
      const ms = performance.now() - t0;
      assert.match(r.answer, /Mikael Smed/);
      assert.equal(r.note, KEYWORDS_ONLY_NOTE.da);
      assert.ok(ms < 4_500, `answered after ${Math.round(ms)} ms (budget 3,000 ms)`);
      assert.ok(ctx.server.requestsTo("/embeddings").length >= 1, "the endpoint was tried");
    });
  }

  test("a working endpoint: no note", async () => {
    ctx.server.fallback = embeddings;
    const r = await kkr.ask("Hvem er formand for KKR Sjælland?");
    assert.match(r.answer, /Mikael Smed/);
    assert.equal(r.note, undefined);
  });
});
