import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { docIdFor, runIngest } from "../../ingest/pipeline.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { KkrStore } from "../../src/store/store.js";
import { tempDir } from "../helpers/index-fixture.js";
import { syntheticAgenda } from "../helpers/synthetic-corpus.js";

const docs = tempDir();
const db = tempDir();
after(() => {
  docs.cleanup();
  db.cleanup();
});

test("a reader never sees a changed document half-present or doubled", async () => {
  const file = join(docs.path, "dagsorden.md");
  const versions = [syntheticAgenda(1, 4), syntheticAgenda(2, 9)];
  const opts = { dir: docs.path, maxFileBytes: 1e8, parseTimeoutMs: 20_000 };
  const writer = await KkrStore.open(db.path, { create: true });
  // the chunk counts of both versions, measured on their own
  const counts: number[] = [];
  for (const v of versions) {
    writeFileSync(file, v);
    counts.push((await runIngest(writer, new HashEmbedder(), opts)).chunks);
  }
  assert.notEqual(counts[0], counts[1]);

  const reader = await KkrStore.open(db.path, { readConsistencyIntervalS: 0 });
  const seen = new Set<number>();
  let stop = false;
  const poll = (async () => {
    while (!stop) {
      seen.add((await reader.chunksWhere(`docId = '${docIdFor("dagsorden.md")}'`)).length);
    }
  })();
  for (let round = 0; round < 6; round++) {
    writeFileSync(file, versions[round % 2]!);
    await runIngest(writer, new HashEmbedder(), opts);
  }
  stop = true;
  await poll;
  reader.close();
  writer.close();
  assert.ok(seen.size >= 1);
  for (const n of seen)
    assert.ok(counts.includes(n), `reader saw ${n} chunks; versions have ${counts.join(" or ")}`);
});
