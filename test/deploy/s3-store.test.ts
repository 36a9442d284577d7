import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { tempDir } from "../helpers/index-fixture.js";
import { runKkr } from "../helpers/run-kkr.js";
import { type FakeS3, startS3rver } from "../helpers/storage-emulators.js";

const kkr = (args: string[], env: Record<string, string>) => runKkr(args, env);

/**
 * The S3 path against s3rver. s3rver does not enforce conditional writes (If-None-Match),
 * so concurrent commits from two processes are not tested here: on AWS S3 LanceDB's
 * commits rely on them; see README "Deploy".
 */
describe("index in S3 (s3rver)", { timeout: 60_000, concurrency: 1 }, () => {
  let s3: FakeS3 | null = null;
  let skip: string | null = null;
  const docs = tempDir("kkr-s3-docs-");
  let env: Record<string, string> = {};

  before(async () => {
    const started = await startS3rver();
    if ("skip" in started) {
      skip = started.skip;
      return;
    }
    s3 = started;
    env = { ...s3.env, KKR_DB: "s3://kkr-index/lancedb", KKR_DOCS_DIR: docs.path };
    writeFileSync(
      join(docs.path, "nyhedsbrev-kkr-syddanmark-2025-05.md"),
      "# Nyhedsbrev fra KKR Syddanmark maj 2025\n\n## Rekruttering\n\n" +
        "Kommunerne i Syddanmark vil uddanne 250 flere social- og sundhedsassistenter i 2026.\n",
    );
  });
  after(async () => {
    await s3?.stop();
    docs.cleanup();
  });

  test("ingest (bucket created) → ask → incremental change against s3://", async (t) => {
    if (skip) return t.skip(skip);
    let r = await kkr(["ingest", docs.path, "--json"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).added.length, 1);
    assert.doesNotMatch(r.stderr, /S3RVER/, "credentials are never logged");

    const q = "Hvor mange social- og sundhedsassistenter vil kommunerne uddanne?";
    r = await kkr(["ask", q, "--json"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(JSON.parse(r.stdout).answer, /250/);

    writeFileSync(
      join(docs.path, "nyhedsbrev-kkr-syddanmark-2025-05.md"),
      "# Nyhedsbrev fra KKR Syddanmark maj 2025\n\n## Rekruttering\n\n" +
        "Kommunerne i Syddanmark vil uddanne 300 flere social- og sundhedsassistenter i 2026.\n",
    );
    r = await kkr(["ingest", docs.path, "--json"], env);
    assert.equal(r.code, 0, r.stderr);
    const second = JSON.parse(r.stdout);
    assert.equal(second.updated.length, 1);
    assert.equal(second.documents, 1);
    r = await kkr(["ask", q, "--json"], env);
    assert.equal(r.code, 0, r.stderr);
    const answer = JSON.parse(r.stdout).answer;
    assert.match(answer, /300/);
    assert.doesNotMatch(answer, /250/);
  });
});
