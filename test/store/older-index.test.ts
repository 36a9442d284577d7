import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as lancedb from "@lancedb/lancedb";
import { runIngest } from "../../ingest/pipeline.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { listMeetings } from "../../src/meetings/meetings.js";
import { KkrStore } from "../../src/store/store.js";
import { CORPUS_DIR, tempDir } from "../helpers/index-fixture.js";

const opts = { dir: CORPUS_DIR, maxFileBytes: 50 * 1024 * 1024, parseTimeoutMs: 20_000 };

/**
 * An index built before documents stored their meetings (and before the page kinds): no
 * `meetings` column, kind "other", fingerprints of the previous parser version.
 */
async function makeOlder(path: string): Promise<void> {
  const conn = await lancedb.connect(path);
  const docs = await conn.openTable("documents");
  await docs.dropColumns(["meetings"]);
  await docs.update({ where: "kind = 'folder'", values: { kind: "other" } });
  await docs.update({ where: "true", valuesSql: { fingerprint: "concat(fingerprint, ':old')" } });
  docs.close();
  conn.close();
}

describe("an index built by an older version", () => {
  const db = tempDir();
  before(async () => {
    const store = await KkrStore.open(db.path, { create: true });
    await runIngest(store, new HashEmbedder(), opts);
    store.close();
    await makeOlder(db.path);
  });
  after(() => db.cleanup());

  test("is read as it is: no meetings column, kind 'other' read as 'side', meetings from meeting dates", async () => {
    const store = await KkrStore.open(db.path);
    try {
      const docs = await store.listDocuments();
      assert.equal(docs.length, 5);
      assert.ok(docs.every((d) => Array.isArray(d.meetings) && d.meetings.length === 0));
      assert.equal(docs.find((d) => d.source.includes("folder"))?.kind, "side");
      assert.deepEqual(
        (await listMeetings(store)).map((m) => m.id),
        ["syddanmark-2020-11-11", "syddanmark-2020-09-08", "sjaelland-2020-09-07"],
      );
    } finally {
      store.close();
    }
  });

  test("the next ingest adds the column and re-reads every file once", async () => {
    const store = await KkrStore.open(db.path, { create: true });
    try {
      const summary = await runIngest(store, new HashEmbedder(), opts);
      assert.equal(summary.updated.length, 5);
      const docs = await store.listDocuments();
      const newsletter = docs.find((d) => d.source === "kkr-sjaelland-nyhedsbrev-2020-09.txt");
      assert.deepEqual(
        newsletter?.meetings.map((m) => [m.date, m.body]),
        [["2020-09-07", "KKR Sjælland"]],
      );
      assert.equal(docs.find((d) => d.source.includes("folder"))?.kind, "folder");
    } finally {
      store.close();
    }
  });
});
