import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { runIngest } from "../../ingest/pipeline.js";
import { walkDocuments } from "../../ingest/walk.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { KkrStore } from "../../src/store/store.js";
import { tempDir } from "../helpers/index-fixture.js";

/**
 * Issue 8.12: a file (or folder) whose name is not UTF-8 — "møde.txt" saved in Latin-1 —
 * is skipped saying so, not with a misleading "ENOENT", and the rest is indexed.
 */

const tmp = tempDir("kkr-names-");
after(() => tmp.cleanup());

/** An absolute path whose last part is `latin1` encoded as Latin-1 bytes (not UTF-8). */
const latin1Path = (dir: string, latin1: string) =>
  Buffer.concat([Buffer.from(`${dir}/`, "utf8"), Buffer.from(latin1, "latin1")]);

test("a Latin-1 file name is skipped with its reason; the other documents are indexed", async () => {
  const docs = join(tmp.path, "docs");
  mkdirSync(docs);
  writeFileSync(
    join(docs, "dagsorden-æøå.md"),
    "# Dagsorden KKR Sjælland\n\nPunkt 1: Godkendelse af dagsorden.",
  );
  writeFileSync(latin1Path(docs, "møde-referat.txt"), "Referat af mødet i KKR Sjælland.");
  mkdirSync(latin1Path(docs, "bilag-år"));

  const walked = await walkDocuments(docs);
  assert.deepEqual(
    walked.files.map((f) => f.source),
    ["dagsorden-æøå.md"],
  );
  const reasons = walked.skipped.map((s) => s.reason);
  assert.equal(reasons.length, 2, JSON.stringify(walked.skipped));
  for (const r of reasons) {
    assert.match(r, /the name is not valid UTF-8 \(bytes [0-9a-f]+\); rename the (file|folder) to index it/);
    assert.doesNotMatch(r, /ENOENT/);
  }
  assert.ok(reasons.some((r) => r.includes(Buffer.from("møde-referat.txt", "latin1").toString("hex"))));

  const store = await KkrStore.open(join(tmp.path, "db"), { create: true });
  try {
    const s = await runIngest(store, new HashEmbedder(), {
      dir: docs,
      maxFileBytes: 1e6,
      parseTimeoutMs: 5000,
    });
    assert.deepEqual(s.added, ["dagsorden-æøå.md"]);
    assert.equal(s.skipped.length, 2);
  } finally {
    store.close();
  }
});
