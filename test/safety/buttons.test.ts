import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { silentLogger } from "../../src/logger.js";
import { type SlackBot, startSlackBot } from "../../src/slack/app.js";
import { ACTION, encodeAnswerRef } from "../../src/slack/render.js";
import { SlackEmulator } from "../helpers/slack-emulator.js";
import { emulatorConfig, type FakeService, fakeService } from "../slack/fake-service.js";

/**
 * Issue 8.10: buttons can't replay questions past the rate limit. A button whose answer
 * the cache doesn't hold (forged, or from before a restart) says "ask again" and asks
 * nothing; button work that costs (a file upload) counts against the per-user limit.
 */

const LIMIT = 3;

describe("buttons and the per-user rate limit", () => {
  let slack: SlackEmulator;
  let service: FakeService;
  let bot: SlackBot;
  before(async () => {
    slack = await SlackEmulator.start();
    service = fakeService();
    bot = await startSlackBot({
      config: emulatorConfig(slack, { rateLimitPerMin: LIMIT }),
      service,
      logger: silentLogger,
    });
  });
  after(async () => {
    await bot.stop();
    await slack.close();
  });

  test("15 'post to channel' clicks with unknown answer ids ask nothing and post nothing", async () => {
    for (let i = 0; i < 15; i++) {
      const value = encodeAnswerRef({ a: `forged-${i}`, q: `Hvem er formand for KKR nummer ${i}?` });
      const blocks = [
        { type: "actions", elements: [{ type: "button", action_id: ACTION.postToChannel, value }] },
      ];
      await slack.sendAction({
        actionId: ACTION.postToChannel,
        blocks,
        user: "U9",
        channel: "C9",
        ephemeral: true,
      });
    }
    await slack.settle();
    assert.equal(service.asks.length, 0, "no question was asked again");
    assert.equal(slack.callsTo("chat.postMessage").length, 0, "nothing was posted to the channel");
    const notices = slack
      .callsTo("response_url")
      .filter((c) => /ikke længere tilgængeligt/.test(String(c.args.text)));
    assert.equal(notices.length, 15, "each click was told to ask again");
  });

  test("'show sources' on an unknown answer asks nothing either", async () => {
    const value = encodeAnswerRef({ a: "forged", q: "Hvem er formand?" });
    const blocks = [
      { type: "actions", elements: [{ type: "button", action_id: ACTION.showSources, value }] },
    ];
    await slack.sendAction({
      actionId: ACTION.showSources,
      blocks,
      user: "U8",
      channel: "C8",
      ephemeral: true,
    });
    await slack.settle();
    assert.equal(service.asks.length, 0);
  });

  test("share clicks count against the same limit as questions", async () => {
    const value = "syddanmark/2020-11-11-dagsorden.pdf";
    const blocks = [
      {
        type: "section",
        text: { type: "mrkdwn", text: "x" },
        accessory: { type: "button", action_id: ACTION.shareFile, value },
      },
    ];
    for (let i = 0; i < LIMIT + 2; i++) {
      await slack.sendAction({
        actionId: ACTION.shareFile,
        blocks,
        user: "U7",
        channel: "C7",
        ephemeral: true,
      });
      await slack.settle(50);
    }
    assert.equal(slack.callsTo("files.completeUploadExternal").length, LIMIT, `only ${LIMIT} uploads`);
    const limited = slack
      .callsTo("response_url")
      .filter((c) => /Prøv igen om \d+ sekunder/.test(String(c.args.text)));
    assert.equal(limited.length, 2);
    // and the user's questions share that budget: the next /kkr question is refused too
    const { ack } = await slack.sendCommand({ text: "Hvem er formand?", user: "U7", channel: "C7" });
    assert.match(String(ack?.payload?.text), /Prøv igen om/);
  });

  test("'show details' summaries count against the limit too", async () => {
    const value = JSON.stringify({ m: "syddanmark-2020-11-11", l: "da" });
    const blocks = [
      { type: "actions", elements: [{ type: "button", action_id: ACTION.summaryDetails, value }] },
    ];
    const before = service.summaries.length;
    for (let i = 0; i < LIMIT + 3; i++) {
      await slack.sendAction({
        actionId: ACTION.summaryDetails,
        blocks,
        user: "U6",
        channel: "C6",
        ephemeral: true,
      });
      await slack.settle(50);
    }
    assert.equal(service.summaries.length - before, LIMIT, "no more summaries than the limit allows");
  });
});
