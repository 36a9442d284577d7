import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { runIngest } from "../../ingest/pipeline.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { Kkr } from "../../src/kkr.js";
import { KkrStore } from "../../src/store/store.js";
import { CORPUS_DIR, tempDir, testConfig } from "../helpers/index-fixture.js";
import { writeSyntheticCorpus } from "../helpers/synthetic-corpus.js";

/**
 * Issue 8.4: `kkr ingest --rebuild` while the bot serves. The rebuild fills a new
 * generation of tables and switches with one commit, so a reader asking all the while
 * gets the right answer every time — never an empty index or a false "not found".
 */

const ROOT = resolve(import.meta.dirname, "../..");
const docs = tempDir("kkr-rebuild-docs-");
const db = tempDir("kkr-rebuild-db-");
after(() => {
  docs.cleanup();
  db.cleanup();
});

before(async () => {
  cpSync(CORPUS_DIR, docs.path, { recursive: true });
  // enough extra documents that the rebuild takes a while (a wide window for the reader)
  writeSyntheticCorpus(join(docs.path, "syntetisk"), 100, 6);
  const store = await KkrStore.open(db.path, { create: true });
  try {
    await runIngest(store, new HashEmbedder(), { dir: docs.path, maxFileBytes: 1e8, parseTimeoutMs: 20_000 });
  } finally {
    store.close();
  }
});

test("a reader asking during `kkr ingest --rebuild` always gets the answer", async () => {
  const kkr = await Kkr.open(testConfig(db.path), { llmAnswerer: null, rewriter: null });
  const rebuild = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "ingest", docs.path, "--rebuild", "--db", db.path, "--json"],
    { cwd: ROOT, env: { ...process.env, KKR_LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  rebuild.stderr.on("data", (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((done) => rebuild.on("exit", (code) => done(code)));
  let running = true;
  void exited.then(() => {
    running = false;
  });

  const outcomes: string[] = [];
  try {
    // keep asking until the rebuild is over, then a few more times on the new generation
    for (let after = 0; running || after < 3; after += running ? 0 : 1) {
      try {
        const r = await kkr.ask("Hvem er formand for KKR Sjælland?");
        outcomes.push(
          r.abstained
            ? `abstained: ${r.answer.split("\n")[0]}`
            : /Mikael Smed/.test(r.answer)
              ? "ok"
              : r.answer,
        );
      } catch (error) {
        outcomes.push(`error: ${(error as Error).message}`);
      }
    }
    assert.equal(await exited, 0, stderr);
    const bad = outcomes.filter((o) => o !== "ok");
    assert.ok(outcomes.length >= 10, `asked ${outcomes.length} times`);
    assert.deepEqual(bad, [], `${bad.length} of ${outcomes.length} answers went wrong during the rebuild`);
    const meta = await kkr.store.readMeta();
    assert.equal(meta?.generation, 1, "readers were switched to the rebuilt generation");
    assert.equal(meta?.previousGeneration, 0);
    assert.equal((await kkr.store.counts()).documents, 105);
  } finally {
    rebuild.kill();
    await kkr.close();
  }
});

test("a failed rebuild leaves the index as it was, and the next run clears its leftovers", async () => {
  const store = await KkrStore.open(db.path, { create: true });
  try {
    const before = await store.readMeta();
    await assert.rejects(
      runIngest(store, new FailingEmbedder(), {
        dir: docs.path,
        rebuild: true,
        maxFileBytes: 1e8,
        parseTimeoutMs: 20_000,
      }),
      /embedding server down/,
    );
    assert.equal((await store.readMeta())?.generation, before?.generation);
    assert.equal((await store.counts()).documents, 105);
    const s = await runIngest(store, new HashEmbedder(), {
      dir: docs.path,
      maxFileBytes: 1e8,
      parseTimeoutMs: 20_000,
      now: () => new Date(Date.now() + 120_000),
    });
    assert.equal(s.unchanged, 105);
    const tables = await (
      store as unknown as { conn: { tableNames(): Promise<string[]> } }
    ).conn.tableNames();
    assert.deepEqual(
      tables.filter((t) => /^(chunks|documents|glossary)/.test(t)).sort(),
      ["chunks_g1", "documents_g1", "glossary_g1"],
      "the abandoned generation and the old one (past its grace period) are gone",
    );
  } finally {
    store.close();
  }
});

/** Embeds the first batch, then fails: a rebuild that dies half-way. */
class FailingEmbedder extends HashEmbedder {
  private calls = 0;
  override async embed(texts: string[]) {
    if (this.calls++ > 0) throw new Error("embedding server down");
    return super.embed(texts);
  }
}
