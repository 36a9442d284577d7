import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildIndex, tempDir } from "../helpers/index-fixture.js";

const ROOT = resolve(import.meta.dirname, "../..");

function kkr(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, KKR_LOG_LEVEL: "silent", OPENAI_API_KEY: "", OPENAI_BASE_URL: "", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("kkr CLI", () => {
  let index: Awaited<ReturnType<typeof buildIndex>>;
  before(async () => {
    index = await buildIndex();
  });
  after(() => index.cleanup());

  test("--help lists the commands", () => {
    const r = kkr(["--help"]);
    assert.equal(r.code, 0);
    for (const c of ["ingest", "ask", "find", "stats", "eval", "serve"])
      assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
  });

  test("ask --json prints exactly one JSON object with the documented fields", () => {
    const r = kkr(["ask", "Hvem er formand for KKR Sjælland?", "--json", "--db", index.db]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    for (const key of ["question", "answer", "abstained", "mode", "citations", "timings_ms"])
      assert.ok(key in out, key);
    assert.equal(out.mode, "extractive");
    assert.equal(out.abstained, false);
    assert.match(out.answer, /Mikael Smed/);
    const c = out.citations[0];
    for (const key of ["n", "source", "title", "kind", "region", "date", "section", "page", "url", "quote"])
      assert.ok(key in c, key);
  });

  test("bad questions: one line on stderr, non-zero exit, no stack trace", () => {
    for (const q of ["", "   ", "x".repeat(2001)]) {
      const r = kkr(["ask", q, "--db", index.db]);
      assert.notEqual(r.code, 0);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
    }
  });

  test("a missing index says to run kkr ingest", () => {
    const empty = tempDir();
    try {
      const r = kkr(["ask", "Hvem er formand?", "--db", `${empty.path}/nope`]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /kkr ingest/);
    } finally {
      empty.cleanup();
    }
  });

  test("stats --json reports documents by region and kind", () => {
    const r = kkr(["stats", "--json", "--db", index.db]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.documents, 5);
    assert.equal(s.byRegion.Syddanmark, 2);
    assert.equal(s.byKind.nyhedsbrev, 2);
    assert.ok(s.glossary > 0);
    assert.ok(s.diskBytes > 0);
  });

  test("find lists documents, not chunks", () => {
    const r = kkr(["find", "DK2020 klimaplaner", "--json", "--db", index.db]);
    assert.equal(r.code, 0, r.stderr);
    const { documents } = JSON.parse(r.stdout);
    const sources = documents.map((d: { source: string }) => d.source);
    assert.equal(new Set(sources).size, sources.length);
    assert.ok(sources.length >= 2);
  });

  test("ingest --json over a folder with junk reports skipped files and --strict fails", () => {
    const db = tempDir();
    const docs = tempDir();
    try {
      writeFileSync(
        `${docs.path}/ok.txt`,
        "KKR Sjælland holdt møde den 7. september 2020. Formanden er Mikael Smed.",
      );
      writeFileSync(`${docs.path}/empty.txt`, "");
      writeFileSync(`${docs.path}/image.png`, "x");
      const r = kkr(["ingest", docs.path, "--db", db.path, "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const s = JSON.parse(r.stdout);
      assert.equal(s.added.length, 1);
      assert.deepEqual(s.skipped.map((x: { source: string }) => x.source).sort(), ["empty.txt", "image.png"]);
      const strict = kkr(["ingest", docs.path, "--db", db.path, "--strict"]);
      assert.notEqual(strict.code, 0);
    } finally {
      db.cleanup();
      docs.cleanup();
    }
  });
});
