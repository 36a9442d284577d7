import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import type { FixtureSite } from "../helpers/fixture-site.js";
import { APP_TOKEN, BOT_TOKEN, SlackEmulator } from "../helpers/slack-emulator.js";
import { addDecember, kkrSite, sourcesFor } from "./kkr-site.js";
import { syncEnv } from "./sync-env.js";

const ROOT = resolve(import.meta.dirname, "../..");
const CHANNEL = "CNEWS";

/** A `kkr serve` process: waits for a log line, stops with SIGTERM like a service manager. */
class Serve {
  private stderr = "";
  private readonly exited: Promise<number | null>;
  private constructor(readonly child: ChildProcess) {
    child.stderr?.on("data", (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exited = new Promise((r) => child.on("close", (code) => r(code)));
  }

  static start(env: Record<string, string>): Serve {
    return new Serve(
      spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], {
        cwd: ROOT,
        env: { ...process.env, OPENAI_API_KEY: "", OPENAI_BASE_URL: "", ...env },
        stdio: ["ignore", "ignore", "pipe"],
      }),
    );
  }

  async waitForLog(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.stderr)) {
      if (Date.now() > deadline) throw new Error(`no log line ${pattern} in:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  exitCode(): Promise<number | null> {
    return this.exited;
  }

  output(): string {
    return this.stderr;
  }

  async stop(): Promise<number | null> {
    this.child.kill("SIGTERM");
    return this.exited;
  }
}

describe("kkr serve with KKR_SYNC_INTERVAL and KKR_ANNOUNCE_CHANNEL", () => {
  let site: FixtureSite;
  let slack: SlackEmulator;
  let env: Awaited<ReturnType<typeof syncEnv>>;
  let processEnv: Record<string, string>;

  before(async () => {
    site = await kkrSite();
    env = await syncEnv(sourcesFor(site));
    await env.run(); // the starting point: an index of what the site had before
    env.store.close();
    slack = await SlackEmulator.start();
    processEnv = {
      KKR_DB: env.config.db,
      KKR_DOCS_DIR: env.docs,
      KKR_SOURCES: env.sourcesPath,
      KKR_SYNC_DELAY_MS: "0",
      KKR_SYNC_USER_AGENT: "kkr-bot-serve-test (+mailto:drift@example.dk)",
      KKR_SYNC_INTERVAL: "6h",
      KKR_ANNOUNCE_CHANNEL: CHANNEL,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      KKR_LOG_LEVEL: "info",
      KKR_LOG_FORMAT: "json",
    };
  });
  after(async () => {
    await slack.close();
    await site.close();
    env.cleanup();
  });

  test("a schedule without a sources file stops at start with a clear error", async () => {
    const serve = Serve.start({
      ...processEnv,
      KKR_SOURCES: `${env.dir}/missing.json`,
      KKR_LOG_LEVEL: "silent",
    });
    assert.equal(await serve.exitCode(), 2);
    assert.match(serve.output(), /No sources file at .*missing\.json/);
  });

  test("the bot syncs on its schedule, announces the new meeting once, and not again after a restart", async () => {
    await addDecember(site);
    const first = Serve.start(processEnv);
    try {
      const post = await slack.waitForCall("chat.postMessage", (c) => c.args.channel === CHANNEL, 40_000);
      assert.equal(post.args.text, "Ny dagsorden: KKR Syddanmark, møde 3. december 2020");
      await first.waitForLog(/"msg":"web sync done"/);
    } finally {
      assert.equal(await first.stop(), 0);
    }

    const crawlsBefore = site.requestsTo("/kkr-syddanmark/moedemateriale").length;
    const second = Serve.start(processEnv);
    try {
      await second.waitForLog(/"msg":"web sync done"/, 40_000);
      assert.ok(site.requestsTo("/kkr-syddanmark/moedemateriale").length > crawlsBefore, "it synced again");
      await slack.settle(500);
      assert.equal(slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNEL).length, 1);
    } finally {
      assert.equal(await second.stop(), 0);
    }
  });
});
