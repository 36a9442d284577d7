import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { acquireIngestLock } from "../../src/store/lock.js";
import type { FixtureSite } from "../helpers/fixture-site.js";
import { tempDir } from "../helpers/index-fixture.js";
import { kkrSite, sourcesFor } from "./kkr-site.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** `kkr sync` as a user runs it. Async spawn: the fixture site answers from this process. */
function kkr(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        KKR_LOG_LEVEL: "silent",
        OPENAI_API_KEY: "",
        OPENAI_BASE_URL: "",
        SLACK_BOT_TOKEN: "",
        SLACK_APP_TOKEN: "",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("close", (status) => resolvePromise({ status, stdout, stderr }));
  });
}

describe("kkr sync (command line)", () => {
  let site: FixtureSite;
  const dir = tempDir("kkr-sync-cli-");
  let env: Record<string, string>;

  before(async () => {
    site = await kkrSite();
    const sources = join(dir.path, "sources.jsonc");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(sources, `// the fixture site\n${JSON.stringify(sourcesFor(site), null, 2)}\n`);
    env = {
      KKR_DB: join(dir.path, "db"),
      KKR_DOCS_DIR: join(dir.path, "docs"),
      KKR_SOURCES: sources,
      KKR_SYNC_DELAY_MS: "0",
      KKR_SYNC_USER_AGENT: "kkr-bot-cli-test (+mailto:drift@example.dk)",
    };
  });
  after(async () => {
    await site.close();
    dir.cleanup();
  });

  test("--json prints pages, new/changed/unchanged, failures and the ingest; a re-run embeds nothing", async () => {
    const first = await kkr(["sync", "--json"], env);
    assert.equal(first.status, 0, first.stderr);
    const json = JSON.parse(first.stdout);
    assert.equal(json.pages, 2);
    assert.equal(json.new, 5);
    assert.equal(json.changed, 0);
    assert.equal(json.unchanged, 0);
    assert.deepEqual(json.failed, []);
    assert.equal(json.ingest.added.length, 5);

    const second = await kkr(["sync", "--json"], env);
    assert.equal(second.status, 0, second.stderr);
    const again = JSON.parse(second.stdout);
    assert.equal(again.unchanged, 5);
    assert.equal(again.new, 0);
    assert.equal(again.ingest.chunksEmbedded, 0);
  });

  test("the human report; --strict exits 3 when something failed", async () => {
    site.on("/kkr-syddanmark/moedemateriale/filer/referat-2020-11-11.pdf", (_req, res) => {
      res.writeHead(410).end();
    });
    const r = await kkr(["sync", "--strict", "--source", "SYDDANMARK"], env);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stdout, /visited 2 pages/);
    assert.match(r.stdout, /documents: 0 new, 0 changed, 4 unchanged, 1 failed/);
    assert.match(
      r.stdout,
      /failed http:\/\/127\.0\.0\.1:\d+\/kkr-syddanmark\/moedemateriale\/filer\/referat-2020-11-11\.pdf: HTTP 410 Gone/,
    );
    assert.match(r.stdout, /ingest: added 0, updated 0, removed 0/);
  });

  test("a clear error for an unknown source, a missing sources file, and a sync already running", async () => {
    const unknown = await kkr(["sync", "--source", "fyn"], env);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /No source named "fyn"\. The sources file has: syddanmark\./);

    const missing = await kkr(["sync", "--json", "--sources", join(dir.path, "nope.json")], env);
    assert.equal(missing.status, 2);
    const error = JSON.parse(missing.stdout).error;
    assert.equal(error.code, "SOURCES_INVALID");
    assert.match(error.message, /No sources file at .*nope\.json.*KKR_SOURCES/);

    const lock = acquireIngestLock(env.KKR_DB!);
    try {
      site.resetRequests();
      const locked = await kkr(["sync"], env);
      assert.equal(locked.status, 2);
      assert.match(locked.stderr, /Another ingest is running/);
      assert.equal(site.requests.length, 0, "nothing is fetched while another ingest holds the index");
    } finally {
      lock.release();
    }
  });
});
