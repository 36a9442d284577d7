import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { syncIndex } from "../../ingest/sync.js";
import { loadConfig } from "../../src/config.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { KkrStore } from "../../src/store/store.js";
import { CORPUS_DIR, corpusCopy, tempDir } from "../helpers/index-fixture.js";

const ROOT = resolve(import.meta.dirname, "../..");

describe("kkr serve without Slack", () => {
  const db = tempDir();
  const docs = corpusCopy();
  after(() => {
    db.cleanup();
    docs.cleanup();
  });

  test("syncs KKR_DOCS_DIR, then answers questions typed on stdin", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--db", db.path], {
      cwd: ROOT,
      encoding: "utf8",
      input: "Hvem er formand for KKR Sjælland?\nog næstformanden?\n",
      env: {
        ...process.env,
        KKR_LOG_LEVEL: "silent",
        KKR_DOCS_DIR: docs.path,
        SLACK_BOT_TOKEN: "",
        SLACK_APP_TOKEN: "",
        SLACK_SIGNING_SECRET: "",
        OPENAI_API_KEY: "",
        OPENAI_BASE_URL: "",
      },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Mikael Smed/);
    // the follow-up is read with the previous question
    assert.match(r.stdout, /Pernille Beckmann/);
  });
});

describe("startup sync", () => {
  const db = tempDir();
  after(() => db.cleanup());

  test("a missing or empty folder never empties the index", async () => {
    const store = await KkrStore.open(db.path, { create: true });
    const embedder = new HashEmbedder();
    try {
      const first = await syncIndex(loadConfig({ KKR_DOCS_DIR: CORPUS_DIR }), store, embedder);
      assert.equal(first?.documents, 5);
      const missing = await syncIndex(loadConfig({ KKR_DOCS_DIR: join(db.path, "nope") }), store, embedder);
      assert.equal(missing, null);
      const emptyDir = join(db.path, "empty");
      mkdirSync(emptyDir);
      assert.equal(await syncIndex(loadConfig({ KKR_DOCS_DIR: emptyDir }), store, embedder), null);
      assert.equal((await store.counts()).documents, 5);
      // without KKR_DOCS_DIR the folder the index was built from is used
      writeFileSync(join(emptyDir, ".hidden"), "x");
      const again = await syncIndex(loadConfig({}), store, embedder);
      assert.equal(again?.dir, CORPUS_DIR);
      assert.equal(again?.unchanged, 5);
    } finally {
      store.close();
    }
  });
});
