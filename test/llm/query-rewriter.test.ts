import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createOpenAIClient } from "../../src/llm/openai-client.js";
import { loadPrompt } from "../../src/prompts.js";
import { LlmQueryRewriter, parseTerms } from "../../src/retrieval/llm-query-rewriter.js";
import { chatMessages, chatReply, errorReply, useOpenAIServer } from "../helpers/openai-server.js";
import { captureLogger, llmConfig, SECRET_KEY } from "./fixtures.js";

const ctx = useOpenAIServer();

function rewriter(timeoutMs?: number) {
  const capture = captureLogger();
  const client = createOpenAIClient(llmConfig(ctx.server.baseURL), { logger: capture.logger });
  const r = new LlmQueryRewriter({
    client,
    model: "test-chat",
    logger: capture.logger,
    ...(timeoutMs ? { timeoutMs } : {}),
  });
  return { r, logs: capture.text };
}

describe("LlmQueryRewriter", () => {
  test("sends the question (and history) and parses the JSON terms", async () => {
    const { r } = rewriter();
    ctx.server.enqueue(
      chatReply('{"terms": ["repræsentant", "udpeget", "DEB", "Danmarks Erhvervsfremmebestyrelse", "DEB"]}'),
    );
    const terms = await r.rewrite("Who represents Syddanmark in DEB?", "en", [{ question: "What is DEB?" }]);
    assert.deepEqual(terms, ["repræsentant", "udpeget", "DEB", "Danmarks Erhvervsfremmebestyrelse"]);
    const [req] = ctx.server.requestsTo("/chat/completions");
    const [system, user] = chatMessages(req!);
    assert.equal(system?.content, loadPrompt("rewrite-query"));
    assert.ok(user?.content.includes("Who represents Syddanmark in DEB?"));
    assert.ok(user?.content.includes("What is DEB?"));
  });

  test("survives garbage, errors and timeouts by returning []", async () => {
    const { r, logs } = rewriter(200);
    ctx.server.enqueue(chatReply("Sure! Here are some terms: formand, møde"));
    assert.deepEqual(await r.rewrite("Who is the chair?", "en"), []);
    ctx.server.enqueue(chatReply('{"terms": "not a list"}'));
    assert.deepEqual(await r.rewrite("Who is the chair?", "en"), []);
    ctx.server.enqueue(chatReply(""));
    assert.deepEqual(await r.rewrite("Who is the chair?", "en"), []);

    ctx.server.requests.length = 0;
    ctx.server.enqueue(errorReply(500, `oops ${SECRET_KEY}`));
    assert.deepEqual(await r.rewrite("Who is the chair?", "en"), []);
    assert.equal(ctx.server.requests.length, 1, "no retries: the offline list is a fine fallback");

    ctx.server.enqueue({ ...chatReply('{"terms": ["formand"]}'), delayMs: 3000 });
    const started = Date.now();
    assert.deepEqual(await r.rewrite("Who is the chair?", "en"), []);
    assert.ok(Date.now() - started < 1500);
    assert.ok(logs().includes("query rewrite failed"));
    assert.ok(!logs().includes(SECRET_KEY));
  });
});

describe("parseTerms", () => {
  test("accepts the shapes models actually produce", () => {
    assert.deepEqual(parseTerms('```json\n{"terms": ["klima", "DK2020"]}\n```'), ["klima", "DK2020"]);
    assert.deepEqual(parseTerms('Her er søgeordene: ["formand", "næstformand"] Held og lykke'), [
      "formand",
      "næstformand",
    ]);
    assert.deepEqual(
      parseTerms(JSON.stringify({ keywords: ["møde", 42, null, "  møde ", "x".repeat(200), "…"] })),
      ["møde"],
    );
    assert.deepEqual(parseTerms('<think>hmm {"terms": ["no"]}</think>{"terms": ["dagsorden"]}'), [
      "dagsorden",
    ]);
    assert.deepEqual(
      parseTerms(JSON.stringify({ terms: Array.from({ length: 30 }, (_, i) => `t${i}`) }), 5).length,
      5,
    );
  });

  test("returns [] for anything else", () => {
    for (const reply of ["", "null", "{}", "[[", '{"terms": {"a": 1}}', "formand, møde", "42"]) {
      assert.deepEqual(parseTerms(reply), [], reply);
    }
  });
});
