import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { after, test } from "node:test";
import { runIngest } from "../../ingest/pipeline.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { KkrStore } from "../../src/store/store.js";
import { tempDir } from "../helpers/index-fixture.js";
import { writeSyntheticCorpus } from "../helpers/synthetic-corpus.js";

const ROOT = resolve(import.meta.dirname, "../..");
const docs = tempDir("kkr-crash-docs-");
const db = tempDir("kkr-crash-db-");
after(() => {
  docs.cleanup();
  db.cleanup();
});

test("an ingest killed mid-way leaves a consistent index that a re-run completes", async () => {
  writeSyntheticCorpus(docs.path, 900, 6);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "ingest", docs.path, "--db", db.path],
    { cwd: ROOT, env: { ...process.env, KKR_LOG_LEVEL: "silent" }, stdio: ["ignore", "ignore", "pipe"] },
  );
  // kill it hard once it has committed at least one batch
  await new Promise<void>((done, fail) => {
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      if (/ingest: parse\s+\d+\/900 files · [1-9]\d* chunks/.test(err)) {
        child.kill("SIGKILL");
      }
    });
    child.on("exit", () => done());
    child.on("error", fail);
  });
  const store = await KkrStore.open(db.path, { create: true });
  try {
    const partial = await store.counts();
    assert.ok(partial.chunks > 0, "the killed run committed something");
    assert.ok(partial.documents < 900, "and was killed before the end");
    const summary = await runIngest(store, new HashEmbedder(), {
      dir: docs.path,
      maxFileBytes: 1e8,
      parseTimeoutMs: 20_000,
    });
    assert.equal(summary.documents, 900);
    const chunks = await store.chunksWhere("true", 1_000_000);
    const ids = chunks.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, "no chunk stored twice");
    const docIds = new Set((await store.listDocuments()).map((d) => d.id));
    assert.ok(
      chunks.every((c) => docIds.has(c.docId)),
      "no orphan chunks",
    );
    assert.equal(summary.chunks, chunks.length);
  } finally {
    store.close();
  }
});
