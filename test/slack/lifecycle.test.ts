import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { isKkrError, type KkrError } from "../../src/errors.js";
import { silentLogger } from "../../src/logger.js";
import { startSlackBot } from "../../src/slack/app.js";
import { APP_TOKEN, BOT_TOKEN, isPlaceholder, SlackEmulator } from "../helpers/slack-emulator.js";
import { emulatorConfig, fakeService } from "./fake-service.js";

describe("Slack bot lifecycle", () => {
  let slack: SlackEmulator;

  before(async () => {
    slack = await SlackEmulator.start();
  });
  after(async () => {
    await slack.close();
  });

  test("auth.test → invalid_auth: startSlackBot rejects with KkrError SLACK_AUTH", async () => {
    slack.authTestError = "invalid_auth";
    try {
      await assert.rejects(
        startSlackBot({ config: emulatorConfig(slack), service: fakeService(), logger: silentLogger }),
        (error: unknown) => {
          assert.ok(isKkrError(error, "SLACK_AUTH"));
          assert.match(error.message, /SLACK_BOT_TOKEN.*invalid_auth/);
          assert.ok(!error.message.includes(BOT_TOKEN), "the token is never in the message");
          return true;
        },
      );
    } finally {
      slack.authTestError = null;
    }
    assert.equal(slack.callsTo("apps.connections.open").length, 0, "no connection attempt");
  });

  test("apps.connections.open → invalid_auth (bad app token) rejects with SLACK_AUTH", async () => {
    slack.appTokenError = "invalid_auth";
    try {
      await assert.rejects(
        startSlackBot({ config: emulatorConfig(slack), service: fakeService(), logger: silentLogger }),
        (error: unknown) => isKkrError(error, "SLACK_AUTH") && /SLACK_APP_TOKEN/.test(error.message),
      );
    } finally {
      slack.appTokenError = null;
    }
  });

  test("missing Slack configuration → CONFIG_INVALID", async () => {
    const config = emulatorConfig(slack);
    config.slack.appToken = undefined;
    config.slack.signingSecret = undefined;
    await assert.rejects(
      startSlackBot({ config, service: fakeService(), logger: silentLogger }),
      (e: unknown) => isKkrError(e, "CONFIG_INVALID"),
    );
  });

  test("a token revoked while running → onFatal with SLACK_AUTH", async () => {
    const fatal: KkrError[] = [];
    const bot = await startSlackBot({
      config: emulatorConfig(slack),
      service: fakeService(),
      logger: silentLogger,
      onFatal: (e) => fatal.push(e),
    });
    try {
      slack.botTokenError = "token_revoked";
      await slack.mention({ channel: "C1", user: "U1", text: "hvem er formand?" });
      const deadline = Date.now() + 5_000;
      while (fatal.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(fatal.length, 1);
      assert.equal(fatal[0]?.code, "SLACK_AUTH");
      assert.match(fatal[0]?.message ?? "", /token_revoked/);
    } finally {
      slack.botTokenError = null;
      await bot.stop();
    }
  });

  test("graceful stop: an answer in progress finishes, then the socket closes", async () => {
    const service = fakeService();
    const inner = service.askImpl;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    service.askImpl = async (q, o) => {
      await gate;
      return inner(q, o);
    };
    const bot = await startSlackBot({ config: emulatorConfig(slack), service, logger: silentLogger });
    const { ts } = await slack.mention({ channel: "C2", user: "U1", text: "hvem er formand?" });
    await slack.waitForCall("chat.postMessage", (c) => c.args.channel === "C2");
    const stopped = bot.stop();
    setTimeout(release, 100);
    await stopped;
    const answer = slack.messages.find((m) => m.channel === "C2" && m.thread_ts === ts);
    assert.ok(answer && !isPlaceholder(answer.text), "the answer was delivered before stopping");
    assert.equal(slack.socket.openConnections, 0);
    await bot.stop(); // idempotent
  });

  test("stop aborts an answer that outlives the grace period and apologises", async () => {
    const service = fakeService();
    service.askImpl = (_q, o) =>
      new Promise((_, reject) => o?.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
    const bot = await startSlackBot({
      config: emulatorConfig(slack),
      service,
      logger: silentLogger,
      stopGraceMs: 50,
    });
    const { ts } = await slack.mention({ channel: "C3", user: "U1", text: "hvem er formand?" });
    await slack.waitForCall("chat.postMessage", (c) => c.args.channel === "C3");
    await bot.stop();
    const message = slack.messages.find((m) => m.channel === "C3" && m.thread_ts === ts);
    assert.match(message?.text ?? "", /Beklager/);
  });

  test("tokens never reach the logs, even at trace level", async () => {
    let logs = "";
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs += String(chunk);
        done();
      },
    });
    const logger = pino({ level: "trace" }, sink);
    const bot = await startSlackBot({ config: emulatorConfig(slack), service: fakeService(), logger });
    try {
      const { ts } = await slack.mention({ channel: "C5", user: "U1", text: "hvem er formand?" });
      await slack.waitForAnswer({ channel: "C5", threadTs: ts });
    } finally {
      await bot.stop();
    }
    assert.ok(logs.includes("slack: answered"), "the logger was used");
    assert.ok(!logs.includes(BOT_TOKEN) && !logs.includes(APP_TOKEN));
  });

  test("an answer that takes too long → apology (ask timeout)", async () => {
    const service = fakeService();
    service.askImpl = () => new Promise(() => {});
    const bot = await startSlackBot({
      config: emulatorConfig(slack),
      service,
      logger: silentLogger,
      askTimeoutMs: 100,
    });
    try {
      const { ts } = await slack.mention({ channel: "C4", user: "U1", text: "hvem er formand?" });
      await slack.waitForCall("chat.update", (c) => c.args.channel === "C4");
      const message = slack.messages.find((m) => m.channel === "C4" && m.thread_ts === ts);
      assert.match(message?.text ?? "", /Beklager/);
    } finally {
      await bot.stop();
    }
  });
});
