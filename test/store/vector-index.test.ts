import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import * as lancedb from "@lancedb/lancedb";
import { runIngest } from "../../ingest/pipeline.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { KkrStore, VECTOR_INDEX } from "../../src/store/store.js";
import { tempDir } from "../helpers/index-fixture.js";
import { writeSyntheticCorpus } from "../helpers/synthetic-corpus.js";

const opts = (dir: string) => ({ dir, maxFileBytes: 1e8, parseTimeoutMs: 20_000 });

describe("vector index", () => {
  const docs = tempDir("kkr-docs-");
  const db = tempDir();
  const saved = { ...VECTOR_INDEX };
  let store: KkrStore;
  before(async () => {
    // a small table stands in for a large one: the thresholds are scaled down, not the logic
    Object.assign(VECTOR_INDEX, { minRows: 300, rowsPerPartition: 32 });
    writeSyntheticCorpus(docs.path, 24);
    store = await KkrStore.open(db.path, { create: true });
  });
  after(() => {
    Object.assign(VECTOR_INDEX, saved);
    store.close();
    docs.cleanup();
    db.cleanup();
  });

  test("a table past the threshold gets an IVF_FLAT index whose neighbours match exact search", async () => {
    const s = await runIngest(store, new HashEmbedder(), opts(docs.path));
    assert.ok(s.chunks >= 300, `only ${s.chunks} chunks`);
    const vector = (await store.indexInfo()).find((i) => i.columns.includes("vector"));
    assert.equal(vector?.type, "IvfFlat");
    const [q] = await new HashEmbedder().embed(["Hvor mange kommuner deltager i klimahandleplaner?"]);
    const indexed = await store.vectorSearch(q!, 10);
    assert.equal(indexed.length, 10);
    // with every partition probed the index is exact: same ids as the flat scan
    const saveProbes = VECTOR_INDEX.nprobes;
    VECTOR_INDEX.nprobes = 1000;
    const all = await store.vectorSearch(q!, 10);
    VECTOR_INDEX.nprobes = saveProbes;
    const overlap = indexed.filter((c) => all.some((a) => a.id === c.id)).length;
    assert.ok(overlap >= 9, `recall@10 ${overlap}/10`);
  });

  test("a small incremental ingest folds its rows in; a doubled table is re-indexed", async () => {
    // count vector index builds on LanceDB's table class itself
    const conn = await lancedb.connect(db.path);
    const probe = await conn.openTable("chunks");
    const proto = Object.getPrototypeOf(probe) as { createIndex: (...a: unknown[]) => Promise<void> };
    probe.close();
    conn.close();
    const original = proto.createIndex;
    let builds = 0;
    proto.createIndex = function (this: unknown, ...args: unknown[]) {
      if (args[0] === "vector") builds++;
      return original.apply(this, args);
    };
    try {
      writeSyntheticCorpus(join(docs.path, "more"), 2);
      await runIngest(store, new HashEmbedder(), opts(docs.path));
      assert.equal(builds, 0);
      const stats = await store.indexInfo();
      assert.ok(stats.some((i) => i.type === "IvfFlat"));
      writeSyntheticCorpus(join(docs.path, "many"), 30);
      await runIngest(store, new HashEmbedder(), opts(docs.path));
      assert.equal(builds, 1);
    } finally {
      proto.createIndex = original;
    }
  });

  test("search reads full rows only for the chosen passages and keeps every field", async () => {
    const [q] = await new HashEmbedder().embed(["praktikpladser"]);
    const candidates = await store.vectorSearch(q!, 5);
    assert.deepEqual(Object.keys(candidates[0]!).sort(), [
      "date",
      "docId",
      "end",
      "id",
      "kind",
      "region",
      "rowId",
      "score",
      "start",
    ]);
    const rows = await store.fetchChunks(candidates);
    assert.equal(rows.size, 5);
    const c = rows.get(candidates[0]!.id)!;
    assert.equal(c.searchText, `${c.title}\n${c.section}\n${c.text}`);
    // a stale row id (rows moved by compaction) is caught and the row read by id
    const stale = await store.fetchChunks([{ id: candidates[0]!.id, rowId: 999_999_999n }]);
    assert.equal(stale.get(candidates[0]!.id)?.text, c.text);
  });
});
