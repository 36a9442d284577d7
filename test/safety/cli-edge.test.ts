import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { runIngest } from "../../ingest/pipeline.js";
import { syncIndex } from "../../ingest/sync.js";
import { loadConfig } from "../../src/config.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { isKkrError } from "../../src/errors.js";
import { KkrStore } from "../../src/store/store.js";
import { CORPUS_DIR, tempDir } from "../helpers/index-fixture.js";
import { unprivileged } from "../helpers/unprivileged.js";
import { captureLogger } from "../llm/fixtures.js";

/**
 * Issue 8.8: `--db db` (a bare relative name) is a local folder, not LanceDB Cloud.
 * Issue 8.9: a read-only index is exit 2 with a clear message, not exit 1 with EACCES.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const MAIN = join(ROOT, "src/cli/main.ts");
const TSX = import.meta.resolve("tsx");
const tmp = tempDir("kkr-cliedge-");
after(() => tmp.cleanup());

function kkr(args: string[], cwd: string) {
  return spawnSync(process.execPath, ["--import", TSX, MAIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, KKR_LOG_LEVEL: "silent", OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
  });
}

describe("--db without a scheme is a local path", () => {
  test("`--db db` from another folder ingests into ./db and answers from it", () => {
    const cwd = join(tmp.path, "work");
    mkdirSync(cwd);
    const ingest = kkr(["ingest", CORPUS_DIR, "--db", "db", "--json"], cwd);
    assert.equal(ingest.status, 0, ingest.stderr);
    assert.doesNotMatch(ingest.stderr, /api_key|LanceDb Cloud/);
    assert.ok(existsSync(join(cwd, "db", "meta.lance")), "the index is in ./db");
    const ask = kkr(["ask", "Hvem er formand for KKR Sjælland?", "--db", "db"], cwd);
    assert.equal(ask.status, 0, ask.stderr);
    assert.match(ask.stdout, /Mikael Smed/);
  });
});

describe("a read-only index", () => {
  test("ingest fails with INDEX_READ_ONLY (exit 2 from the CLI); the sync warns and serves it", async () => {
    const docs = join(tmp.path, "docs");
    const db = join(tmp.path, "ro-db");
    cpSync(CORPUS_DIR, docs, { recursive: true });
    const store = await KkrStore.open(db, { create: true });
    const log = captureLogger("warn");
    try {
      await runIngest(store, new HashEmbedder(), { dir: docs, maxFileBytes: 1e8, parseTimeoutMs: 20_000 });
      appendFileSync(join(docs, "kkr-sjaelland-nyhedsbrev-2020-09.txt"), "\nEt nyt afsnit om trafik.\n");
      spawnSync("chmod", ["-R", "a+rX,a-w", db]);
      await unprivileged(
        [docs],
        [],
        async () => {
          await assert.rejects(
            runIngest(store, new HashEmbedder(), { dir: docs, maxFileBytes: 1e8, parseTimeoutMs: 20_000 }),
            (e: unknown) => {
              assert.ok(isKkrError(e, "INDEX_READ_ONLY"), String(e));
              assert.match(e.message, /is read-only .*Make the folder writable/);
              assert.doesNotMatch(e.message, /\.rs:\d+|cargo/);
              return true;
            },
          );
          assert.equal(
            await syncIndex(loadConfig({ KKR_DOCS_DIR: docs }), store, new HashEmbedder(), log.logger),
            null,
          );
        },
        [db],
      );
      assert.match(log.text(), /is read-only/);
      assert.equal((await store.counts()).documents, 5);
    } finally {
      spawnSync("chmod", ["-R", "u+w", db]);
      store.close();
    }
  });

  test("the CLI maps it to exit 2 and a JSON error", async () => {
    const db = join(tmp.path, "ro-cli-db");
    const store = await KkrStore.open(db, { create: true });
    await runIngest(store, new HashEmbedder(), {
      dir: CORPUS_DIR,
      maxFileBytes: 1e8,
      parseTimeoutMs: 20_000,
    });
    store.close();
    spawnSync("chmod", ["-R", "a+rX,a-w", db]);
    chmodSync(tmp.path, 0o755); // mkdtemp made it 0700
    try {
      // root writes anywhere: run the CLI as nobody then
      const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const r = spawnSync(
        process.execPath,
        ["--import", TSX, MAIN, "ingest", CORPUS_DIR, "--db", db, "--json"],
        {
          cwd: ROOT,
          encoding: "utf8",
          env: { ...process.env, KKR_LOG_LEVEL: "silent", OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
          ...asNobody,
        },
      );
      assert.equal(r.status, 2, r.stderr);
      const { error } = JSON.parse(r.stdout);
      assert.equal(error.code, "INDEX_READ_ONLY");
      assert.match(r.stderr, /is read-only/);
      assert.doesNotMatch(r.stderr, /^kkr: EACCES/m);
    } finally {
      chmodSync(tmp.path, 0o700);
      spawnSync("chmod", ["-R", "u+w", db]);
    }
  });
});
