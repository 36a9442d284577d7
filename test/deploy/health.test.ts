import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { readinessCheck } from "../../src/health/health.js";
import { KkrStore } from "../../src/store/store.js";
import { buildIndex } from "../helpers/index-fixture.js";
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, SlackEmulator } from "../helpers/slack-emulator.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** `kkr serve` in its own process, stopped with SIGTERM as a container platform does. */
class Serve {
  stderr = "";
  readonly exited: Promise<number | null>;
  constructor(readonly child: ChildProcess) {
    child.stderr?.on("data", (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exited = new Promise((r) => child.on("close", (code) => r(code)));
  }
  static start(env: Record<string, string>): Serve {
    return new Serve(
      spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--no-sync"], {
        cwd: ROOT,
        env: {
          ...process.env,
          OPENAI_API_KEY: "",
          OPENAI_BASE_URL: "",
          KKR_LOG_LEVEL: "info",
          KKR_LOG_FORMAT: "json",
          ...env,
        },
        stdio: ["ignore", "ignore", "pipe"],
      }),
    );
  }
  /** The `port` of the first JSON log line whose msg matches. */
  async portFromLog(msg: RegExp, timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const line of this.stderr.split("\n")) {
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg && msg.test(entry.msg) && entry.port) return entry.port;
        } catch {
          // not JSON (yet)
        }
      }
      if (Date.now() > deadline) throw new Error(`no log line ${msg} in:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function get(port: number, path: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function writeDoc(dir: string, name: string, text: string) {
  writeFileSync(join(dir, name), text);
}

describe("health checks and roles in kkr serve", { timeout: 90_000 }, () => {
  let slack: SlackEmulator;
  let index: Awaited<ReturnType<typeof buildIndex>>;
  const docs = mkdtempSync(join(tmpdir(), "kkr-health-docs-"));

  before(async () => {
    writeDoc(
      docs,
      "referat-kkr-midtjylland-2025-02-03.md",
      "# Referat af møde i KKR Midtjylland 3. februar 2025\n\n## 1. Klimatilpasning\n\nKKR Midtjylland drøftede en fælles plan for klimatilpasning langs Gudenåen.\n",
    );
    index = await buildIndex(docs);
    slack = await SlackEmulator.start();
  });
  after(async () => {
    await slack.close();
    index.cleanup();
    rmSync(docs, { recursive: true, force: true });
  });

  test("Socket Mode reader with HEALTH_PORT: ready, never ingests, stops on SIGTERM", async () => {
    // a new file in the folder: a reader must not pick it up
    writeDoc(
      docs,
      "nyhedsbrev-kkr-midtjylland-2025-03.md",
      "# Nyhedsbrev marts 2025\n\nKKR Midtjylland mødes igen i april.\n",
    );
    const serve = Serve.start({
      KKR_DB: index.db,
      KKR_DOCS_DIR: docs,
      KKR_ROLE: "reader",
      HEALTH_PORT: "0",
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
    });
    try {
      const port = await serve.portFromLog(/health checks/);
      assert.deepEqual(await get(port, "/healthz"), { status: 200, body: { ok: true } });
      const deadline = Date.now() + 20_000;
      let ready = await get(port, "/readyz");
      while (ready.status !== 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        ready = await get(port, "/readyz");
      }
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.deepEqual(ready.body.checks, { index: true, documents: 1, slack: true, stopping: false });
      serve.child.kill("SIGTERM");
      assert.equal(await serve.exited, 0, serve.stderr);
    } finally {
      serve.child.kill("SIGKILL");
    }
    const store = await KkrStore.open(index.db);
    assert.equal(await store.countDocuments(), 1, "the reader did not ingest the new file");
    store.close();
  });

  test("HTTP mode: /healthz and /readyz on the Slack port", async () => {
    const serve = Serve.start({
      KKR_DB: index.db,
      PORT: "0",
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
    });
    try {
      const port = await serve.portFromLog(/slack: listening/);
      assert.equal((await get(port, "/healthz")).status, 200);
      const ready = await get(port, "/readyz");
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.equal((ready.body.checks as { slack: boolean }).slack, true);
      serve.child.kill("SIGTERM");
      assert.equal(await serve.exited, 0, serve.stderr);
    } finally {
      serve.child.kill("SIGKILL");
    }
  });

  test("readiness: no documents, a Slack failure or shutting down → not ready", async () => {
    const state = { slack: true as boolean | null, stopping: false };
    assert.equal((await readinessCheck(async () => 3, state)()).ready, true);
    assert.equal((await readinessCheck(async () => 0, state)()).ready, false);
    const broken = await readinessCheck(async () => {
      throw new Error("index gone");
    }, state)();
    assert.deepEqual(broken.checks, { index: false, documents: 0, slack: true, stopping: false });
    assert.equal(broken.ready, false);
    state.slack = false;
    assert.equal((await readinessCheck(async () => 3, state)()).ready, false);
    state.slack = null; // console mode: no Slack to check
    assert.equal((await readinessCheck(async () => 3, state)()).ready, true);
    state.stopping = true;
    assert.equal((await readinessCheck(async () => 3, state)()).ready, false);
  });
});
