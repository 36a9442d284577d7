import assert from "node:assert/strict";
import { appendFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runIngest } from "../../ingest/pipeline.js";
import type { Embedder } from "../../src/embed/embedder.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { isKkrError } from "../../src/errors.js";
import { acquireIngestLock } from "../../src/store/lock.js";
import { KkrStore } from "../../src/store/store.js";
import { corpusCopy, tempDir } from "../helpers/index-fixture.js";

/** Counts what gets embedded, so "a re-run embeds nothing" is observable. */
class CountingEmbedder implements Embedder {
  readonly inner = new HashEmbedder();
  readonly id = this.inner.id;
  readonly dimensions = this.inner.dimensions;
  readonly maxBatch = 64;
  embedded = 0;
  async embed(texts: string[]) {
    this.embedded += texts.length;
    return this.inner.embed(texts);
  }
}

const opts = (dir: string) => ({ dir, maxFileBytes: 50 * 1024 * 1024, parseTimeoutMs: 20_000 });

describe("incremental ingest", () => {
  const docs = corpusCopy();
  const db = tempDir();
  let store: KkrStore;
  before(async () => {
    store = await KkrStore.open(db.path, { create: true });
  });
  after(() => {
    store.close();
    docs.cleanup();
    db.cleanup();
  });

  test("first run adds every document; a re-run embeds nothing", async () => {
    const e = new CountingEmbedder();
    const first = await runIngest(store, e, opts(docs.path));
    assert.equal(first.added.length, 5);
    assert.ok(first.chunks > 10);
    assert.equal(e.embedded, first.chunksEmbedded);
    const e2 = new CountingEmbedder();
    const second = await runIngest(store, e2, opts(docs.path));
    assert.equal(e2.embedded, 0);
    assert.equal(second.unchanged, 5);
    assert.equal(second.added.length + second.updated.length + second.removed.length, 0);
    assert.equal(second.chunks, first.chunks);
  });

  test("editing one file re-embeds only that file and replaces its chunks", async () => {
    const before = await store.counts();
    const file = join(docs.path, "kkr-sjaelland-nyhedsbrev-2020-09.txt");
    appendFileSync(file, "\n\nEkstra afsnit: KKR Sjælland mødes igen den 30. november 2020 i Sorø.\n");
    const e = new CountingEmbedder();
    const s = await runIngest(store, e, opts(docs.path));
    assert.deepEqual(s.updated, ["kkr-sjaelland-nyhedsbrev-2020-09.txt"]);
    assert.equal(s.unchanged, 4);
    const docChunks = await store.chunksWhere(`source = 'kkr-sjaelland-nyhedsbrev-2020-09.txt'`);
    assert.equal(e.embedded, docChunks.length);
    assert.ok(docChunks.some((c) => c.text.includes("Sorø")));
    // no doubled rows: ids are unique and the total moved by this document only
    assert.equal(new Set(docChunks.map((c) => c.id)).size, docChunks.length);
    const after = await store.counts();
    assert.equal(after.documents, before.documents);
  });

  test("a touched but identical file is not re-embedded", async () => {
    const file = join(docs.path, "kkr-beretning-2016.txt");
    const { readFileSync } = await import("node:fs");
    writeFileSync(file, readFileSync(file));
    const e = new CountingEmbedder();
    const s = await runIngest(store, e, opts(docs.path));
    assert.equal(e.embedded, 0);
    assert.equal(s.updated.length, 0);
  });

  test("a deleted file is removed from the index", async () => {
    rmSync(join(docs.path, "kkr-beretning-2016.txt"));
    const s = await runIngest(store, new CountingEmbedder(), opts(docs.path));
    assert.deepEqual(s.removed, ["kkr-beretning-2016.txt"]);
    assert.equal((await store.chunksWhere(`source = 'kkr-beretning-2016.txt'`)).length, 0);
    assert.equal(s.documents, 4);
  });

  test("a file that turns corrupt is skipped and its indexed copy kept", async () => {
    const file = join(docs.path, "kkr-syddanmark-nyhedsbrev-2020-09.txt");
    writeFileSync(file, Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7, 8, 0, 0, 0, 1, 2, 3]));
    const s = await runIngest(store, new CountingEmbedder(), opts(docs.path));
    assert.equal(s.skipped.length, 1);
    assert.match(s.skipped[0]!.reason, /binary|text/i);
    assert.ok((await store.chunksWhere(`source = 'kkr-syddanmark-nyhedsbrev-2020-09.txt'`)).length > 0);
  });

  test("a second ingest while one holds the lock fails clearly", async () => {
    const lock = acquireIngestLock(db.path);
    try {
      await assert.rejects(runIngest(store, new CountingEmbedder(), opts(docs.path)), (e: unknown) =>
        isKkrError(e, "INGEST_LOCKED"),
      );
    } finally {
      lock.release();
    }
    // released: the next run works
    await runIngest(store, new CountingEmbedder(), opts(docs.path));
  });

  test("a lock left by a dead process is taken over", async () => {
    writeFileSync(
      join(db.path, ".kkr-ingest.lock"),
      JSON.stringify({ pid: 999_999, host: (await import("node:os")).hostname(), since: "x" }),
    );
    await runIngest(store, new CountingEmbedder(), opts(docs.path));
  });

  test("a different embedder is refused with a hint to --rebuild; --rebuild re-embeds", async () => {
    const other = new HashEmbedder({ dimensions: 128 });
    await assert.rejects(runIngest(store, other, opts(docs.path)), (e: unknown) => {
      assert.ok(isKkrError(e, "EMBEDDER_MISMATCH"));
      assert.match((e as Error).message, /--rebuild/);
      return true;
    });
    const s = await runIngest(store, other, { ...opts(docs.path), rebuild: true });
    assert.equal(s.added.length, s.documents);
    assert.equal((await store.readMeta())?.embedderId, other.id);
  });

  test("an index kept inside the documents folder is not ingested or reported", async () => {
    const inner = await KkrStore.open(join(docs.path, "data", "lancedb"), { create: true });
    try {
      const s = await runIngest(inner, new CountingEmbedder(), opts(docs.path));
      assert.ok(s.documents >= 3);
      assert.ok(
        s.skipped.every((k) => !k.source.startsWith("data/")),
        JSON.stringify(s.skipped),
      );
      const again = await runIngest(inner, new CountingEmbedder(), opts(docs.path));
      assert.ok(again.skipped.every((k) => !k.source.startsWith("data/")));
      assert.equal(again.added.length, 0);
    } finally {
      inner.close();
    }
  });
});
