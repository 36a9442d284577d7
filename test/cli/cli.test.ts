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

  test("an ambiguous meeting keeps its candidates up to stderr and --json error.details", () => {
    const r = kkr(["summary", "KKR 2020", "--json", "--db", index.db]);
    assert.equal(r.code, 2, r.stderr);
    const { error } = JSON.parse(r.stdout);
    assert.equal(error.code, "MEETING_AMBIGUOUS");
    const ids = error.details.candidates.map((c: { id: string }) => c.id);
    assert.ok(ids.includes("syddanmark-2020-11-11") && ids.length >= 2, ids.join());
    // the human form lists them too (it used to stop at the first line)
    const human = kkr(["summary", "KKR 2020", "--db", index.db]);
    assert.equal(human.code, 2);
    assert.match(human.stderr, /\n- KKR Syddanmark 11\. november 2020/);
  });

  test("an unknown meeting lists what exists, in error.details.available", () => {
    const r = kkr(["summary", "KKR Nordjylland 1. januar 2019", "--json", "--db", index.db]);
    assert.equal(r.code, 2, r.stderr);
    const { error } = JSON.parse(r.stdout);
    assert.equal(error.code, "MEETING_NOT_FOUND");
    assert.ok(error.details.available.length >= 2);
    assert.match(error.message, /KKR Syddanmark 11\. november 2020/);
  });

  test("a bad flag value exits 2, with a JSON error on stdout under --json", () => {
    for (const args of [
      ["ask", "Hvem er formand?", "--k", "abc"],
      ["find", "DEB", "--k", "0"],
      ["ask", "Hvem er formand?", "--region", "Atlantis"],
      ["ask", "Hvem er formand?", "--since", "igår"],
    ]) {
      const r = kkr([...args, "--json", "--db", index.db]);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      const { error } = JSON.parse(r.stdout);
      assert.equal(error.code, "BAD_ARGUMENT");
      assert.match(error.message, /expected/);
      assert.match(r.stderr, /expected/);
    }
    assert.equal(kkr(["ask", "x", "--k", "abc", "--db", index.db]).code, 2);
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
