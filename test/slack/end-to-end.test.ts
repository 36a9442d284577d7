import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config.js";
import { Kkr } from "../../src/kkr.js";
import { silentLogger } from "../../src/logger.js";
import { type SlackBot, startSlackBot } from "../../src/slack/app.js";
import { buildIndex } from "../helpers/index-fixture.js";
import { blocksText, SlackEmulator } from "../helpers/slack-emulator.js";
import { emulatorConfig } from "./fake-service.js";

/** The real core (LanceDB index of the reference corpus, offline answers) behind the bot. */
describe("Slack bot over the real core", () => {
  let index: Awaited<ReturnType<typeof buildIndex>>;
  let kkr: Kkr;
  let slack: SlackEmulator;
  let bot: SlackBot;

  before(async () => {
    index = await buildIndex();
    kkr = await Kkr.open(loadConfig({ KKR_DB: index.db, KKR_LOG_LEVEL: "silent" }), {
      llmAnswerer: null,
      rewriter: null,
    });
    slack = await SlackEmulator.start();
    bot = await startSlackBot({ config: emulatorConfig(slack), service: kkr, logger: silentLogger });
  });
  after(async () => {
    await bot.stop();
    await slack.close();
    await kkr.close();
    index.cleanup();
  });

  test("a mention asking who represents Syddanmark in DEB gets one threaded reply naming the person and citing the agenda", async () => {
    const { ts } = await slack.mention({
      channel: "C1",
      user: "U1",
      text: "who represents Syddanmark in DEB?",
    });
    const answer = await slack.waitForAnswer({ channel: "C1", threadTs: ts });
    const text = blocksText(answer.blocks);
    assert.match(text, /Lunds(f)?ryd Jensen/);
    assert.match(text, /Syddanmark/);
    assert.match(text, /Agenda|Dagsorden/i);
    assert.match(text, /3\.1/);
    await slack.settle();
    const replies = slack
      .callsTo("chat.postMessage")
      .concat(slack.callsTo("chat.update"))
      .filter((c) => c.args.channel === "C1");
    // one placeholder posted, then updated into the answer: exactly one message in the thread
    assert.equal(slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "C1").length, 1);
    assert.ok(replies.length >= 1);
  });

  test("/kkr summary renders the meeting summary with cited items", async () => {
    await slack.sendCommand({ text: "summary KKR Syddanmark 11. november 2020", user: "U2", channel: "C2" });
    const reply = await slack.waitForCall("response_url", (c) => c.args.replace_original === true);
    const text = blocksText(reply.args.blocks as unknown[]);
    assert.match(text, /2\.3/);
    assert.match(text, /DK2020/);
    assert.match(text, /\[1\]/);
  });

  test("a follow-up in the thread uses the earlier question", async () => {
    const { ts } = await slack.mention({
      channel: "C3",
      user: "U1",
      text: "Hvem er formand for KKR Sjælland?",
    });
    const first = await slack.waitForAnswer({ channel: "C3", threadTs: ts });
    assert.match(blocksText(first.blocks), /Mikael Smed/);
    await slack.mention({ channel: "C3", user: "U1", text: "og næstformanden?", threadTs: ts });
    await slack.settle();
    const all = slack.callsTo("chat.update").filter((c) => c.args.channel === "C3");
    const last = all[all.length - 1];
    assert.ok(last);
    assert.match(blocksText(last.args.blocks as unknown[]), /Pernille Beckmann/);
  });
});
