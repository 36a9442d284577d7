import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { silentLogger } from "../../src/logger.js";
import { type SlackBot, startSlackBot } from "../../src/slack/app.js";
import { ACTION } from "../../src/slack/render.js";
import {
  BOT_USER_ID,
  blocksText,
  eventCallback,
  messageEvent,
  postSigned,
  SIGNING_SECRET,
  SlackEmulator,
  slackSignature,
} from "../helpers/slack-emulator.js";
import { emulatorConfig, type FakeService, fakeService } from "./fake-service.js";

describe("Slack bot over HTTP (Events API, signed requests)", () => {
  let slack: SlackEmulator;
  let service: FakeService;
  let bot: SlackBot;
  let target: { url: string; signingSecret: string };

  before(async () => {
    slack = await SlackEmulator.start();
    service = fakeService();
    bot = await startSlackBot({
      config: emulatorConfig(slack, { http: true }),
      service,
      logger: silentLogger,
      port: 0,
    });
    assert.equal(bot.mode, "http");
    assert.ok(bot.port && bot.port > 0);
    target = { url: `http://127.0.0.1:${bot.port}/slack/events`, signingSecret: SIGNING_SECRET };
    slack.useHttp(target);
  });
  after(async () => {
    await bot.stop();
    await slack.close();
  });

  test("a signed app_mention is acked with 200 and answered in the thread", async () => {
    const { ts, delivery } = await slack.mention({
      channel: "C1",
      user: "U1",
      text: "hvem repræsenterer Syddanmark i DEB?",
    });
    assert.equal(delivery.status, 200);
    const answer = await slack.waitForAnswer({ channel: "C1", threadTs: ts });
    assert.match(blocksText(answer.blocks), /Jens Ejner Christensen/);
    assert.equal(slack.callsTo("apps.connections.open").length, 0, "no Socket Mode in HTTP mode");
  });

  test("a retry (X-Slack-Retry-Num) of a handled event gets no second answer", async () => {
    const stored = slack.userMessage({
      channel: "C2",
      user: "U1",
      text: `<@${BOT_USER_ID}> hvem er formand?`,
    });
    const event = messageEvent("app_mention", stored);
    const first = await slack.sendEvent(event, { eventId: "EvHTTP1" });
    const retry = await slack.sendEvent(event, {
      eventId: "EvHTTP1",
      retryAttempt: 1,
      retryReason: "http_timeout",
    });
    assert.equal(first.status, 200);
    assert.equal(retry.status, 200);
    await slack.waitForAnswer({ channel: "C2", threadTs: stored.ts });
    await slack.settle();
    assert.equal(slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "C2").length, 1);
  });

  test("bad or stale signatures → 401 and nothing posted", async () => {
    const before = slack.calls.length;
    const asksBefore = service.asks.length;
    const stored = slack.userMessage({
      channel: "C3",
      user: "U1",
      text: `<@${BOT_USER_ID}> hvem er formand?`,
    });
    const body = JSON.stringify(eventCallback(messageEvent("app_mention", stored), "EvBAD1"));
    const bad = await postSigned(target, body, "application/json", { signature: "v0=deadbeef" });
    assert.equal(bad.status, 401);
    const wrongSecret = await postSigned(
      { ...target, signingSecret: "not-the-secret" },
      body,
      "application/json",
    );
    assert.equal(wrongSecret.status, 401);
    const staleTs = Math.floor(Date.now() / 1000) - 10 * 60;
    const stale = await postSigned(target, body, "application/json", {
      timestamp: staleTs,
      signature: slackSignature(SIGNING_SECRET, staleTs, body),
    });
    assert.equal(stale.status, 401);
    await slack.settle(300);
    assert.equal(slack.calls.length, before, "no Web API call");
    assert.equal(service.asks.length, asksBefore);
  });

  test("a signed slash command is acked in the HTTP response; the answer goes to response_url", async () => {
    const res = await slack.sendCommand({
      text: "hvem repræsenterer Syddanmark i DEB?",
      user: "U4",
      channel: "C4",
    });
    assert.equal(res.status, 200);
    const ack = JSON.parse(res.body ?? "{}") as { response_type?: string; text?: string };
    assert.equal(ack.response_type, "ephemeral");
    assert.match(ack.text ?? "", /Søger i dokumenterne/);
    const reply = await slack.waitForCall(
      "response_url",
      (c) => c.args.replace_original === true && blocksText(c.args.blocks as unknown[]).includes("Jens"),
    );
    const blocks = reply.args.blocks as unknown[];

    const click = await slack.sendAction({
      actionId: ACTION.postToChannel,
      blocks,
      user: "U4",
      channel: "C4",
      ephemeral: true,
    });
    assert.equal(click.status, 200);
    const posted = await slack.waitForCall("chat.postMessage", (c) => c.args.channel === "C4");
    assert.match(blocksText(posted.args.blocks as unknown[]), /Spurgt af <@U4>/);
  });

  test("a signed button payload (feedback) is stored", async () => {
    const { ts } = await slack.mention({ channel: "C5", user: "U1", text: "hvem er formand?" });
    const answer = await slack.waitForAnswer({ channel: "C5", threadTs: ts });
    const click = await slack.sendAction({
      actionId: ACTION.feedbackUp,
      blocks: answer.blocks ?? [],
      user: "U5",
      channel: "C5",
      message: { ts: answer.ts, thread_ts: ts, text: answer.text },
    });
    assert.equal(click.status, 200);
    const deadline = Date.now() + 5_000;
    while (!service.feedback.some((f) => f.user === "U5") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const fb = service.feedback.find((f) => f.user === "U5");
    assert.equal(fb?.vote, "up");
    await slack.waitForCall("chat.postEphemeral", (c) => c.args.user === "U5");
  });
});
