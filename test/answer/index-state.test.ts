import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runIngest } from "../../ingest/pipeline.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { isKkrError } from "../../src/errors.js";
import { Kkr } from "../../src/kkr.js";
import { KkrStore } from "../../src/store/store.js";
import { corpusCopy, tempDir, testConfig } from "../helpers/index-fixture.js";

const opts = (dir: string) => ({ dir, maxFileBytes: 1e8, parseTimeoutMs: 20_000 });

describe("index state as the core sees it", () => {
  const db = tempDir();
  const empty = tempDir();
  const docs = corpusCopy();
  after(() => {
    db.cleanup();
    empty.cleanup();
    docs.cleanup();
  });

  test("an index built from an empty folder says to run kkr ingest", async () => {
    const store = await KkrStore.open(db.path, { create: true });
    await runIngest(store, new HashEmbedder(), opts(empty.path));
    store.close();
    const kkr = await Kkr.open(testConfig(db.path), { llmAnswerer: null, rewriter: null });
    try {
      await assert.rejects(kkr.ask("Hvem er formand for KKR Sjælland?"), (e: unknown) => {
        assert.ok(isKkrError(e, "INDEX_EMPTY"));
        assert.match((e as Error).message, /kkr ingest/);
        return true;
      });
    } finally {
      await kkr.close();
    }
  });

  test("a running reader sees what another connection ingests (read consistency)", async () => {
    const writer = await KkrStore.open(db.path, { create: true });
    await runIngest(writer, new HashEmbedder(), opts(docs.path));
    const kkr = await Kkr.open(testConfig(db.path), { llmAnswerer: null, rewriter: null });
    try {
      const before = await kkr.ask("Hvem er formand for KKR Nordjylland?");
      assert.equal(before.abstained, true);
      writeFileSync(
        join(docs.path, "kkr-nordjylland-nyhedsbrev.txt"),
        "Nyhedsbrev KKR Nordjylland\n\nKKR Nordjylland holdt møde den 2. marts 2022.\n\nFormand for KKR Nordjylland er borgmester Mogens Gade, Jammerbugt Kommune.\n",
      );
      await runIngest(writer, new HashEmbedder(), opts(docs.path));
      const afterIngest = await kkr.ask("Hvem er formand for KKR Nordjylland?");
      assert.equal(afterIngest.abstained, false, afterIngest.answer);
      assert.match(afterIngest.answer, /Mogens Gade/);
    } finally {
      await kkr.close();
      writer.close();
    }
  });

  test("querying with another embedder than the index was built with is refused", async () => {
    await assert.rejects(
      Kkr.open(testConfig(db.path, { KKR_HASH_DIM: "128" }), { llmAnswerer: null, rewriter: null }),
      (e: unknown) => isKkrError(e, "EMBEDDER_MISMATCH") && /--rebuild/.test((e as Error).message),
    );
  });
});
