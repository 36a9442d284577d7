import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { extractBytes } from "../../ingest/extract.js";
import { PARSER_VERSION, runIngest } from "../../ingest/pipeline.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { isKkrError } from "../../src/errors.js";
import { KkrStore } from "../../src/store/store.js";
import { tempDir } from "../helpers/index-fixture.js";
import { makeBombPdf } from "../helpers/make-bomb-pdf.js";
import { makePdf } from "../helpers/make-pdf.js";

/**
 * Issue 8.3: a small PDF whose FlateDecode stream inflates to far more memory than a
 * parser may use. Parsing runs in a separate process under a hard memory limit, so the
 * bomb fails alone, with a reason, is remembered by its hash, and never takes the bot
 * down. The limit is set low here (256 MB) so the bomb stays cheap for a 2-core CI box:
 * it inflates to 400 MB, built from ~400 KB without ever holding the inflated bytes.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const LIMIT_MB = 256;
const opts = { maxFileBytes: 50 * 1024 * 1024, parseTimeoutMs: 30_000, pdfMaxMemoryMb: LIMIT_MB };
const tmp = tempDir("kkr-bomb-");
after(() => tmp.cleanup());

let bomb: Buffer;
before(async () => {
  bomb = await makeBombPdf({ inflatedMb: 400 });
  assert.ok(bomb.length < 1024 * 1024, `the bomb is small on disk (${bomb.length} bytes)`);
});

describe("a PDF decompression bomb", () => {
  test("fails with a memory reason in the parser process; this process's memory stays flat", async () => {
    let peak = process.memoryUsage().rss;
    const start = peak;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    try {
      await assert.rejects(extractBytes(bomb, "bombe.pdf", opts), (error: unknown) => {
        assert.ok(isKkrError(error, "PARSE_FAILED"), String(error));
        assert.match(error.message, new RegExp(`needs more than ${LIMIT_MB} MB of memory`));
        assert.match(error.message, /KKR_PDF_MAX_MEMORY_MB/);
        return true;
      });
    } finally {
      clearInterval(sample);
    }
    assert.ok(
      peak - start < 150 * 1024 * 1024,
      `this process grew by ${Math.round((peak - start) / 1e6)} MB`,
    );
    // the pool replaced the parser: a good PDF still parses
    const good = await extractBytes(await makePdf(), "god.pdf", opts);
    assert.match(good.pages[0] ?? "", /Godkendelse af dagsorden/);
  });

  test("ingest skips it with the reason, keeps the rest, and does not parse it again until it changes", async () => {
    const docs = join(tmp.path, "docs");
    mkdirSync(docs, { recursive: true });
    writeFileSync(join(docs, "bombe.pdf"), bomb);
    writeFileSync(join(docs, "dagsorden.pdf"), await makePdf());
    writeFileSync(
      join(docs, "referat.md"),
      "# Referat KKR Midtjylland 2. juni 2021\n\nFormand Gorm Lyngholt.",
    );
    const store = await KkrStore.open(join(tmp.path, "db"), { create: true });
    try {
      const first = await runIngest(store, new HashEmbedder(), { dir: docs, ...opts });
      assert.deepEqual(first.added.sort(), ["dagsorden.pdf", "referat.md"]);
      assert.match(
        first.skipped.find((s) => s.source === "bombe.pdf")?.reason ?? "",
        /needs more than 256 MB/,
      );

      const t0 = performance.now();
      const second = await runIngest(store, new HashEmbedder(), { dir: docs, ...opts });
      const again = second.skipped.find((s) => s.source === "bombe.pdf")?.reason ?? "";
      assert.match(
        again,
        /not parsed again: this exact file failed on \d{4}-\d\d-\d\d \(PDF needs more than 256 MB/,
      );
      assert.ok(performance.now() - t0 < 3_000, "a remembered file costs a read and a hash, not a parse");
      assert.equal(second.documents, 2);

      // a changed file (new hash) is tried again
      appendFileSync(join(docs, "bombe.pdf"), "\n% edited\n");
      const third = await runIngest(store, new HashEmbedder(), { dir: docs, ...opts });
      assert.match(
        third.skipped.find((s) => s.source === "bombe.pdf")?.reason ?? "",
        /^PDF needs more than 256 MB/,
      );
      // a raised limit tries it again too: the memory record is per limit
      assert.equal(
        (await store.badFiles(`pdf-memory=2048MB;timeout=30000ms;parser=${PARSER_VERSION}`)).size,
        0,
      );
    } finally {
      store.close();
    }
  });

  test("`kkr serve` with a bomb in the folder starts, answers, and on restart does not meet the bomb again", () => {
    const docs = join(tmp.path, "serve-docs");
    mkdirSync(docs, { recursive: true });
    writeFileSync(join(docs, "bombe.pdf"), bomb);
    writeFileSync(
      join(docs, "referat.md"),
      "# Referat KKR Midtjylland 2. juni 2021\n\nKKR Midtjylland valgte Gorm Lyngholt som formand.",
    );
    const serve = () =>
      spawnSync(
        process.execPath,
        ["--import", "tsx", "src/cli/main.ts", "serve", "--db", join(tmp.path, "serve-db")],
        {
          cwd: ROOT,
          encoding: "utf8",
          input: "Hvem er formand for KKR Midtjylland?\n",
          env: {
            ...process.env,
            KKR_LOG_LEVEL: "warn",
            KKR_LOG_FORMAT: "json",
            KKR_DOCS_DIR: docs,
            KKR_PDF_MAX_MEMORY_MB: String(LIMIT_MB),
            SLACK_BOT_TOKEN: "",
            SLACK_APP_TOKEN: "",
            SLACK_SIGNING_SECRET: "",
            OPENAI_API_KEY: "",
            OPENAI_BASE_URL: "",
          },
        },
      );
    const first = serve();
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Gorm Lyngholt/);
    assert.match(first.stderr, /needs more than 256 MB of memory/);
    const restart = serve();
    assert.equal(restart.status, 0, restart.stderr);
    assert.match(restart.stdout, /Gorm Lyngholt/);
    assert.match(restart.stderr, /not parsed again/);
  });
});
