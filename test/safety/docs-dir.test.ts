import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { runIngest } from "../../ingest/pipeline.js";
import { type SyncState, syncIndex } from "../../ingest/sync.js";
import { loadConfig } from "../../src/config.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { isKkrError } from "../../src/errors.js";
import { acquireIngestLock } from "../../src/store/lock.js";
import { KkrStore } from "../../src/store/store.js";
import { CORPUS_DIR, tempDir } from "../helpers/index-fixture.js";
import { unprivileged } from "../helpers/unprivileged.js";
import { captureLogger } from "../llm/fixtures.js";

/**
 * Issue 8.5: KKR_DOCS_DIR that is a file, or a top folder that can't be read: the bot
 * warns and serves the index it has; `kkr ingest` exits 2 saying what is wrong.
 * Issue 8.13: --watch meeting another process's ingest lock says so once, at info.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const tmp = tempDir("kkr-docsdir-");
const docs = join(tmp.path, "docs");
const db = join(tmp.path, "db");
const aFile = join(tmp.path, "not-a-folder.txt");
after(() => tmp.cleanup());

before(async () => {
  cpSync(CORPUS_DIR, docs, { recursive: true });
  writeFileSync(aFile, "KKR_DOCS_DIR should name a folder, not this file.\n");
  const store = await KkrStore.open(db, { create: true });
  try {
    await runIngest(store, new HashEmbedder(), { dir: docs, maxFileBytes: 1e8, parseTimeoutMs: 20_000 });
  } finally {
    store.close();
  }
});

function kkr(args: string[], env: Record<string, string>, input?: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    ...(input === undefined ? {} : { input }),
    env: {
      ...process.env,
      KKR_LOG_LEVEL: "warn",
      KKR_LOG_FORMAT: "json",
      SLACK_BOT_TOKEN: "",
      SLACK_APP_TOKEN: "",
      SLACK_SIGNING_SECRET: "",
      OPENAI_API_KEY: "",
      OPENAI_BASE_URL: "",
      ...env,
    },
  });
}

describe("KKR_DOCS_DIR that is not a readable folder", () => {
  test("serve warns and answers from the index it has (no raw ENOTDIR)", () => {
    const r = kkr(["serve", "--db", db], { KKR_DOCS_DIR: aFile }, "Hvem er formand for KKR Sjælland?\n");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Mikael Smed/);
    assert.match(r.stderr, /not a folder but a file/);
    assert.doesNotMatch(r.stderr, /ENOTDIR|scandir/);
  });

  test("ingest exits 2 with a clear message", () => {
    const r = kkr(["ingest", aFile, "--db", db, "--json"], {});
    assert.equal(r.status, 2, r.stderr);
    assert.equal(JSON.parse(r.stdout).error.code, "DOCS_DIR_MISSING");
    assert.match(r.stderr, /is not a folder.*KKR_DOCS_DIR/);
  });

  test("an unreadable top folder: the sync warns and keeps the index; ingest fails with DOCS_DIR_UNREADABLE", async () => {
    const locked = join(tmp.path, "locked");
    mkdirSync(locked);
    writeFileSync(join(locked, "dagsorden.md"), "# Dagsorden\n");
    const log = captureLogger("warn");
    const store = await KkrStore.open(db, { create: true });
    try {
      await unprivileged([db], [locked], async () => {
        const synced = await syncIndex(
          loadConfig({ KKR_DOCS_DIR: locked }),
          store,
          new HashEmbedder(),
          log.logger,
        );
        assert.equal(synced, null);
        await assert.rejects(
          runIngest(store, new HashEmbedder(), { dir: locked, maxFileBytes: 1e8, parseTimeoutMs: 20_000 }),
          (e: unknown) => isKkrError(e, "DOCS_DIR_UNREADABLE") && /Check its permissions/.test(e.message),
        );
      });
      assert.equal((await store.counts()).documents, 5);
    } finally {
      store.close();
    }
    assert.match(log.text(), /cannot read the documents folder.*serving the index as it is/);
  });
});

describe("--watch while another process holds the ingest lock", () => {
  test("says 'another ingest is running; will retry' once, at info, never an error; says it again after a good round", async () => {
    const log = captureLogger("debug");
    const state: SyncState = { lockReported: false };
    const config = loadConfig({ KKR_DOCS_DIR: docs });
    const store = await KkrStore.open(db, { create: true });
    try {
      const held = acquireIngestLock(db);
      for (let round = 0; round < 4; round++) {
        assert.equal(await syncIndex(config, store, new HashEmbedder(), log.logger, { state }), null);
      }
      held.release();
      assert.ok(await syncIndex(config, store, new HashEmbedder(), log.logger, { state }));
      const again = acquireIngestLock(db);
      await syncIndex(config, store, new HashEmbedder(), log.logger, { state });
      again.release();
    } finally {
      store.close();
    }
    const lines = log
      .text()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    const locked = lines.filter((l) => l.msg === "another ingest is running; will retry");
    assert.deepEqual(
      locked.map((l) => l.level),
      [30, 20, 20, 20, 30],
      "info once, debug while it lasts, info again after a good round",
    );
    assert.equal(lines.filter((l) => l.level >= 50).length, 0, "no ERROR lines");
  });
});
