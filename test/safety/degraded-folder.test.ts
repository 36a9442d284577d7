import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, beforeEach, describe, test } from "node:test";
import { runIngest } from "../../ingest/pipeline.js";
import { syncIndex } from "../../ingest/sync.js";
import { loadConfig } from "../../src/config.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { isKkrError } from "../../src/errors.js";
import { KkrStore } from "../../src/store/store.js";
import { tempDir } from "../helpers/index-fixture.js";
import { unprivileged } from "../helpers/unprivileged.js";
import { captureLogger } from "../llm/fixtures.js";

/**
 * Issue 8.2: a degraded documents folder (only a README, only Thumbs.db, an empty or
 * unreadable subfolder, a link to an unmounted share, the wrong folder) must never empty
 * the index: documents go only when their files are known to be gone, and a run that
 * would remove more than KKR_PRUNE_MAX_SHARE (or everything) refuses without --prune.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const DOCS: Record<string, string> = {
  "referater/2021-02-referat.md":
    "# Referat KKR Nordjylland 4. februar 2021\n\nFormand Birthe Skovgaard bød velkommen.",
  "referater/2021-05-referat.md":
    "# Referat KKR Nordjylland 6. maj 2021\n\nKKR drøftede kollektiv trafik i Thy.",
  "share/nyhedsbrev-2021-03.md": "# Nyhedsbrev KKR Nordjylland marts 2021\n\nNyt om erhvervsfremme.",
  "dagsorden-2021-09.md": "# Dagsorden KKR Nordjylland 9. september 2021\n\n1. Godkendelse af dagsorden",
  "udpegninger-2022.md": "# Udpegninger KKR Nordjylland 2022\n\nOle Vestergaard er udpeget til Vækstforum.",
};

const tmp = tempDir("kkr-degraded-");
after(() => tmp.cleanup());
let n = 0;

/** A fresh folder with the five documents and an index of it. */
async function indexed(): Promise<{ docs: string; db: string }> {
  const base = join(tmp.path, `case-${++n}`);
  const docs = join(base, "docs");
  for (const [rel, text] of Object.entries(DOCS)) {
    mkdirSync(join(docs, rel, ".."), { recursive: true });
    writeFileSync(join(docs, rel), text);
  }
  const db = join(base, "db");
  const store = await KkrStore.open(db, { create: true });
  try {
    const s = await runIngest(store, new HashEmbedder(), {
      dir: docs,
      maxFileBytes: 1e6,
      parseTimeoutMs: 5000,
    });
    assert.equal(s.documents, 5);
  } finally {
    store.close();
  }
  return { docs, db };
}

async function withStore<T>(db: string, run: (store: KkrStore) => Promise<T>): Promise<T> {
  const store = await KkrStore.open(db, { create: true });
  try {
    return await run(store);
  } finally {
    store.close();
  }
}

const ingest = (store: KkrStore, dir: string, extra: { prune?: boolean; pruneMaxShare?: number } = {}) =>
  runIngest(store, new HashEmbedder(), { dir, maxFileBytes: 1e6, parseTimeoutMs: 5000, ...extra });

const sources = async (store: KkrStore) => (await store.listDocuments()).map((d) => d.source).sort();

/** A folder holding only `files` (name → content; a name ending in / is an empty folder). */
function degradedFolder(name: string, files: Record<string, string>): string {
  const dir = join(tmp.path, name);
  mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    if (rel.endsWith("/")) mkdirSync(join(dir, rel), { recursive: true });
    else writeFileSync(join(dir, rel), text);
  }
  return dir;
}

describe("a degraded folder never empties the index", () => {
  let docs: string;
  let db: string;
  beforeEach(async () => {
    ({ docs, db } = await indexed());
  });

  for (const [label, files] of [
    ["only a README", { "README.md": "# Mappen med KKR-dokumenter\n" }],
    ["only Thumbs.db", { "Thumbs.db": "\u0000\u0001binary" }],
    ["only an empty subfolder", { "2021/": "" }],
  ] as const) {
    test(`the startup sync over a folder with ${label} keeps every document and says why`, async () => {
      const dir = degradedFolder(`${label.replace(/\W+/g, "-")}-${n}`, files);
      const log = captureLogger("warn");
      await withStore(db, async (store) => {
        const result = await syncIndex(
          loadConfig({ KKR_DOCS_DIR: dir }),
          store,
          new HashEmbedder(),
          log.logger,
        );
        assert.equal(result, null);
        assert.equal((await store.counts()).documents, 5);
        assert.equal((await store.readMeta())?.docsDir, docs, "the index still belongs to its folder");
      });
      assert.match(log.text(), /Refusing to remove 5 of the 5 indexed documents/);
      assert.match(log.text(), /--prune/);
    });
  }

  test("`kkr ingest WRONG_DIR` refuses before changing anything: exit 2, the reason, JSON details", () => {
    const wrong = degradedFolder(`wrong-${n}`, {
      "rapport.md": "# Årsrapport for et helt andet projekt\n\nTekst.",
    });
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "ingest", wrong, "--db", db, "--json"],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, KKR_LOG_LEVEL: "silent", OPENAI_API_KEY: "" } },
    );
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /Refusing to remove 5 of the 5 indexed documents .*nothing was changed/);
    const out = JSON.parse(r.stdout) as { error: { code: string; details: Record<string, unknown> } };
    assert.equal(out.error.code, "PRUNE_REFUSED");
    assert.equal(out.error.details.removing, 5);
    return withStore(db, async (store) => {
      assert.deepEqual(await sources(store), Object.keys(DOCS).sort(), "nothing removed, nothing added");
    });
  });

  test("more than the allowed share refuses; within it, or with --prune, the files go", async () => {
    await withStore(db, async (store) => {
      rmSync(join(docs, "referater"), { recursive: true });
      await assert.rejects(ingest(store, docs), (e: unknown) => isKkrError(e, "PRUNE_REFUSED"));
      assert.equal((await store.counts()).documents, 5);
      const allowed = await ingest(store, docs, { pruneMaxShare: 0.5 });
      assert.deepEqual(allowed.removed.sort(), [
        "referater/2021-02-referat.md",
        "referater/2021-05-referat.md",
      ]);
      rmSync(join(docs, "dagsorden-2021-09.md"));
      rmSync(join(docs, "udpegninger-2022.md"));
      rmSync(join(docs, "share"), { recursive: true });
      writeFileSync(join(docs, "README.md"), "# kun en readme\n");
      // all of it: refused even when the share would allow it
      await assert.rejects(ingest(store, docs, { pruneMaxShare: 1 }), (e: unknown) =>
        isKkrError(e, "PRUNE_REFUSED"),
      );
      const pruned = await ingest(store, docs, { prune: true });
      assert.equal(pruned.removed.length, 3);
      assert.equal(pruned.documents, 0);
    });
  });

  test("a subfolder that is a link to an unmounted share keeps its documents", async () => {
    await withStore(db, async (store) => {
      rmSync(join(docs, "share"), { recursive: true });
      symlinkSync(join(tmp.path, "mnt-not-mounted", "share"), join(docs, "share"));
      const s = await ingest(store, docs, { prune: true });
      assert.deepEqual(s.removed, []);
      assert.ok(s.skipped.some((k) => k.source === "share" && /broken symbolic link/.test(k.reason)));
      assert.ok((await sources(store)).includes("share/nyhedsbrev-2021-03.md"));
    });
  });

  test("an unreadable subfolder keeps its documents while the rest syncs", async () => {
    writeFileSync(join(docs, "ny-dagsorden.md"), "# Dagsorden KKR Nordjylland 2. december 2021\n\n1. Budget");
    const s = await withStore(db, (store) =>
      unprivileged([docs, db], [join(docs, "referater")], () => ingest(store, docs, { prune: true })),
    );
    assert.deepEqual(s.removed, []);
    assert.deepEqual(s.added, ["ny-dagsorden.md"]);
    assert.ok(s.skipped.some((k) => k.source === "referater" && /cannot read folder/.test(k.reason)));
    await withStore(db, async (store) => {
      assert.ok((await sources(store)).includes("referater/2021-02-referat.md"));
      assert.equal((await store.counts()).documents, 6);
    });
  });
});
