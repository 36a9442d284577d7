import assert from "node:assert/strict";
import { test } from "node:test";
import { llmConfigured, loadConfig } from "../src/config.js";
import { isKkrError } from "../src/errors.js";

test("defaults, and an empty variable counts as unset", () => {
  const c = loadConfig({ KKR_DB: "", OPENAI_API_KEY: "", KKR_EMBEDDER: "" });
  assert.equal(c.db, "./data/lancedb");
  assert.equal(c.docsDir, "./documents");
  assert.equal(c.embedder, "hash");
  assert.equal(c.answerMode, "auto");
  assert.equal(llmConfigured(c), false);
});

test("explicit options beat the environment", () => {
  const c = loadConfig({ KKR_DB: "/env/db", KKR_DOCS_DIR: "/env/docs" }, { db: "/flag/db" });
  assert.equal(c.db, "/flag/db");
  assert.equal(c.docsDir, "/env/docs");
  assert.equal(c.docsDirExplicit, true);
});

test("a bad value names the variable and how to fix it, never the value", () => {
  const secret = "xoxp-not-a-bot-token-SECRET";
  assert.throws(
    () => loadConfig({ SLACK_BOT_TOKEN: secret, KKR_HASH_DIM: "12" }),
    (e: unknown) => {
      assert.ok(isKkrError(e, "CONFIG_INVALID"));
      const msg = (e as Error).message;
      assert.match(msg, /SLACK_BOT_TOKEN/);
      assert.match(msg, /KKR_HASH_DIM/);
      assert.doesNotMatch(msg, /SECRET/);
      return true;
    },
  );
});

test("an OpenAI embedder or LLM mode without an endpoint says which variable to set", () => {
  for (const env of [{ KKR_EMBEDDER: "openai" }, { KKR_ANSWER_MODE: "llm" }]) {
    assert.throws(
      () => loadConfig(env),
      (e: unknown) =>
        isKkrError(e, "CONFIG_INVALID") && /OPENAI_API_KEY or OPENAI_BASE_URL/.test((e as Error).message),
    );
  }
  // a keyless local server (Ollama, vLLM) is enough
  assert.equal(llmConfigured(loadConfig({ OPENAI_BASE_URL: "http://localhost:11434/v1" })), true);
});
