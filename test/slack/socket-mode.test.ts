import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import { silentLogger } from "../../src/logger.js";
import { type SlackBot, startSlackBot } from "../../src/slack/app.js";
import { ACTION } from "../../src/slack/render.js";
import {
  BOT_ID,
  BOT_USER_ID,
  blocksText,
  findButtons,
  isPlaceholder,
  messageEvent,
  SlackEmulator,
} from "../helpers/slack-emulator.js";
import { emulatorConfig, type FakeService, fakeService } from "./fake-service.js";

describe("Slack bot over Socket Mode", () => {
  let slack: SlackEmulator;
  let service: FakeService;
  let bot: SlackBot;

  before(async () => {
    slack = await SlackEmulator.start();
  });
  after(async () => {
    await slack.close();
  });
  beforeEach(async () => {
    slack.calls.length = 0;
    service = fakeService();
    bot = await startSlackBot({ config: emulatorConfig(slack), service, logger: silentLogger });
  });
  afterEach(async () => {
    await bot.stop();
  });

  test("connects through apps.connections.open on SLACK_API_URL and verifies the token", () => {
    assert.equal(bot.mode, "socket");
    assert.equal(bot.botUserId, BOT_USER_ID);
    assert.equal(slack.callsTo("auth.test").length, 1);
    assert.equal(slack.callsTo("apps.connections.open").length, 1);
  });

  test("app_mention → placeholder, then one threaded answer with sources and buttons", async () => {
    const { ts, delivery } = await slack.mention({
      channel: "C1",
      user: "U1",
      text: "who represents Syddanmark in DEB?",
    });
    assert.ok(delivery.ack, "the envelope was acked");
    const answer = await slack.waitForAnswer({ channel: "C1", threadTs: ts });
    const placeholder = slack.callsTo("chat.postMessage")[0];
    assert.ok(placeholder && isPlaceholder(String(placeholder.args.text)), "a placeholder came first");
    assert.equal(placeholder.args.thread_ts, ts);
    assert.equal(slack.callsTo("chat.update").length, 1);
    await slack.settle();
    assert.equal(slack.messages.filter((m) => m.user === BOT_USER_ID).length, 1, "exactly one bot message");
    const text = blocksText(answer.blocks);
    assert.match(text, /Jens Ejner Christensen/);
    assert.match(
      text,
      /\[1\] <https:\/\/www\.kl\.dk\/media\/kkr-syddanmark-2020-11-11\.pdf\|KKR Syddanmark · Agenda · 11 Nov 2020 · item 3\.1 Siden sidst>/,
    );
    assert.ok(answer.text.length > 0, "plain-text fallback is set");
    const actions = JSON.stringify(answer.blocks);
    for (const id of [ACTION.showSources, ACTION.feedbackUp, ACTION.feedbackDown])
      assert.ok(actions.includes(id));
    assert.equal(service.asks.length, 1);
    assert.equal(service.asks[0]?.question, "who represents Syddanmark in DEB?");
    // English question → English UI strings.
    assert.match(JSON.stringify(answer.blocks), /Show sources/);
  });

  test("injection strings from documents and models arrive escaped", async () => {
    const { ts } = await slack.mention({ channel: "C1", user: "U1", text: "hvem er med i DEB?" });
    const answer = await slack.waitForAnswer({ channel: "C1", threadTs: ts });
    const payload = JSON.stringify(answer.blocks) + answer.text;
    for (const bad of [
      "<!channel>",
      "<!here>",
      "<!everyone>",
      "<@U123>",
      "<#C999>",
      "<https://evil.example|",
    ]) {
      assert.ok(!payload.includes(bad), `must not contain ${bad}`);
    }
    assert.match(payload, /&lt;!channel&gt;/);
    assert.match(payload, /&lt;@U123&gt;/);
    // Danish question → Danish UI and source lines.
    assert.match(payload, /Vis kilder/);
    assert.ok(
      blocksText(answer.blocks).includes(
        "[1] <https://www.kl.dk/media/kkr-syddanmark-2020-11-11.pdf|KKR Syddanmark · Dagsorden · 11. nov. 2020 · pkt. 3.1 Siden sidst>",
      ),
    );
  });

  test("DM → the answer in the DM", async () => {
    const { ts } = await slack.dm({
      channel: "D1",
      user: "U2",
      text: "hvem repræsenterer Syddanmark i DEB?",
    });
    const answer = await slack.waitForAnswer({ channel: "D1", afterTs: ts });
    assert.equal(answer.thread_ts, undefined, "top level in the DM");
    assert.match(blocksText(answer.blocks), /Jens Ejner Christensen/);
  });

  test("a follow-up in a thread the bot answered in passes the earlier question as history", async () => {
    const first = await slack.mention({
      channel: "C2",
      user: "U1",
      text: "hvem repræsenterer Syddanmark i DEB?",
    });
    await slack.waitForAnswer({ channel: "C2", threadTs: first.ts });
    await slack.mention({ channel: "C2", user: "U1", text: "og i Sjælland?", threadTs: first.ts });
    await waitUntil(() => service.asks.length === 2);
    await slack.settle();
    const history = service.asks[1]?.options?.history;
    assert.ok(history && history.length === 1, `history: ${JSON.stringify(history)}`);
    assert.equal(history[0]?.question, "hvem repræsenterer Syddanmark i DEB?");
    assert.match(history[0]?.answer ?? "", /Jens Ejner Christensen/);
    assert.equal(service.asks[0]?.options?.history, undefined, "a fresh question has no history");
  });

  test("the same event twice and a retry produce one answer", async () => {
    const stored = slack.userMessage({
      channel: "C3",
      user: "U1",
      text: `<@${BOT_USER_ID}> hvem er formand?`,
    });
    const event = messageEvent("app_mention", stored);
    await slack.sendEvent(event, { eventId: "EvSAME" });
    await slack.sendEvent(event, { eventId: "EvSAME" });
    await slack.sendEvent(event, { eventId: "EvSAME", retryAttempt: 1, retryReason: "timeout" });
    await slack.waitForAnswer({ channel: "C3", threadTs: stored.ts });
    await slack.settle();
    assert.equal(service.asks.length, 1);
    assert.equal(slack.callsTo("chat.postMessage").length, 1);
  });

  test("bot messages, edits, deletes and joins are ignored", async () => {
    const base = { channel: "D9", channel_type: "im", ts: slack.nextTs(), event_ts: "1" };
    const envelopes = [
      { type: "message", ...base, bot_id: "BOTHER", user: "UOTHER", text: "jeg er en bot" },
      { type: "message", ...base, subtype: "bot_message", bot_id: BOT_ID, text: "mig selv" },
      { type: "message", ...base, user: BOT_USER_ID, text: "mig selv igen" },
      {
        type: "message",
        ...base,
        subtype: "message_changed",
        message: { user: "U1", text: "rettet", ts: base.ts, edited: { user: "U1", ts: "2" } },
      },
      { type: "message", ...base, subtype: "message_deleted", deleted_ts: base.ts },
      { type: "message", ...base, subtype: "channel_join", user: "U1", text: "joined" },
      {
        type: "app_mention",
        ...base,
        channel: "C9",
        bot_id: "BOTHER",
        user: "UOTHER",
        text: `<@${BOT_USER_ID}> hi`,
      },
    ];
    for (const event of envelopes) {
      const { ack } = await slack.sendEvent(event);
      assert.ok(ack, "every envelope is acked, even ignored ones");
    }
    await slack.settle();
    assert.equal(service.asks.length, 0);
    assert.equal(slack.callsTo("chat.postMessage").length, 0);
  });

  test("when ask throws, the placeholder becomes an apology", async () => {
    service.askImpl = async () => {
      throw new Error("LLM down: connect ECONNREFUSED");
    };
    const { ts } = await slack.mention({ channel: "C4", user: "U1", text: "hvem er formand?" });
    const update = await slack.waitForCall("chat.update");
    assert.match(String(update.args.text), /Beklager/);
    const inThread = slack.messages.filter((m) => m.thread_ts === ts);
    assert.equal(inThread.length, 1);
    assert.ok(!isPlaceholder(inThread[0]?.text ?? ""), "no dangling placeholder");
    assert.ok(!JSON.stringify(inThread).includes("ECONNREFUSED"), "details stay in the logs");
  });

  test("feedback click is stored via recordFeedback and acknowledged", async () => {
    const { ts } = await slack.mention({ channel: "C5", user: "U1", text: "hvem er formand?" });
    const answer = await slack.waitForAnswer({ channel: "C5", threadTs: ts });
    const click = await slack.sendAction({
      actionId: ACTION.feedbackDown,
      blocks: answer.blocks ?? [],
      user: "U7",
      channel: "C5",
      message: { ts: answer.ts, thread_ts: ts, text: answer.text },
    });
    assert.ok(click.ack);
    await waitUntil(() => service.feedback.length === 1);
    const fb = service.feedback[0];
    assert.equal(fb?.vote, "down");
    assert.equal(fb?.user, "U7");
    assert.equal(fb?.question, "hvem er formand?");
    assert.match(fb?.answer ?? "", /Jens Ejner Christensen/);
    assert.equal(fb?.citations.length, 2);
    assert.equal(fb?.channel, "C5");
    const ack = await slack.waitForCall("chat.postEphemeral");
    assert.equal(ack.args.user, "U7");
    assert.equal(ack.args.thread_ts, ts);
    assert.match(String(ack.args.text), /Tak for din feedback/);
  });

  test("show sources reveals the quoted passages, escaped", async () => {
    const { ts } = await slack.mention({ channel: "C6", user: "U1", text: "hvem er formand?" });
    const answer = await slack.waitForAnswer({ channel: "C6", threadTs: ts });
    await slack.sendAction({
      actionId: ACTION.showSources,
      blocks: answer.blocks ?? [],
      channel: "C6",
      message: { ts: answer.ts, thread_ts: ts },
    });
    const shown = await slack.waitForCall("chat.postEphemeral");
    const text = blocksText(shown.args.blocks as unknown[]);
    assert.match(text, /Jens Ejner Christensen, Varde Kommune/);
    assert.match(text, /&lt;!channel&gt;/);
    assert.ok(!text.includes("<!channel>"));
  });

  test("rate limit → a friendly reply, no answer", async () => {
    await bot.stop();
    bot = await startSlackBot({
      config: emulatorConfig(slack, { rateLimitPerMin: 2 }),
      service,
      logger: silentLogger,
    });
    for (let i = 0; i < 3; i++) {
      await slack.mention({ channel: "C7", user: "U1", text: `spørgsmål nummer ${i}` });
    }
    const notice = await slack.waitForCall("chat.postEphemeral");
    assert.match(String(notice.args.text), /mange spørgsmål/);
    await slack.settle();
    assert.equal(service.asks.length, 2);
  });

  test("/kkr help answers ephemerally in the ack", async () => {
    const { ack } = await slack.sendCommand({ text: "help" });
    assert.equal(ack?.payload?.response_type, "ephemeral");
    assert.match(String(ack?.payload?.text), /\/kkr find/);
  });

  test("/kkr QUESTION → ephemeral answer; the post-to-channel button posts it", async () => {
    const { ack } = await slack.sendCommand({
      text: "hvem repræsenterer Syddanmark i DEB?",
      user: "U3",
      channel: "C8",
    });
    assert.match(String(ack?.payload?.text), /Søger i dokumenterne/);
    const reply = await slack.waitForCall("response_url", (c) => c.args.replace_original === true);
    assert.equal(reply.args.response_type, "ephemeral");
    const blocks = reply.args.blocks as unknown[];
    assert.match(blocksText(blocks), /Jens Ejner Christensen/);
    assert.equal(slack.callsTo("chat.postMessage").length, 0, "nothing public yet");

    await slack.sendAction({
      actionId: ACTION.postToChannel,
      blocks,
      user: "U3",
      channel: "C8",
      ephemeral: true,
    });
    const posted = await slack.waitForCall("chat.postMessage");
    assert.equal(posted.args.channel, "C8");
    const text = blocksText(posted.args.blocks as unknown[]);
    assert.match(text, /Spurgt af <@U3>/);
    assert.match(text, /Jens Ejner Christensen/);
    assert.ok(!JSON.stringify(posted.args.blocks).includes(ACTION.postToChannel), "no post button in public");
    await slack.waitForCall("response_url", (c) => c.args.delete_original === true);
    assert.equal(service.asks.length, 1, "the cached answer is reused");
  });

  test("/kkr find lists documents; share uploads the original file via files.uploadV2", async () => {
    await slack.sendCommand({ text: "find DEB", user: "U3", channel: "C9" });
    const list = await slack.waitForCall("response_url", (c) => c.args.replace_original === true);
    const blocks = list.args.blocks as unknown[];
    const text = blocksText(blocks);
    assert.match(text, /Dagsorden KKR Syddanmark 11\. november 2020/);
    assert.ok(!text.includes("<!channel>"));
    const listing = JSON.stringify(blocks);
    assert.ok(listing.includes(ACTION.shareFile), "a share button for the file on disk");
    assert.ok(
      listing.includes("https://www.kl.dk/kkr-sjaelland/nyhedsbrev-sept-2020"),
      "a link for the other",
    );

    await slack.sendAction({
      actionId: ACTION.shareFile,
      blocks,
      user: "U3",
      channel: "C9",
      ephemeral: true,
    });
    const complete = await slack.waitForCall("files.completeUploadExternal");
    assert.equal(complete.args.channel_id, "C9");
    const getUrl = slack.callsTo("files.getUploadURLExternal")[0];
    assert.equal(getUrl?.args.filename, "2020-11-11-dagsorden.pdf");
    const upload = slack.callsTo("file_upload")[0];
    assert.ok(upload && Number(upload.args.bytes) > 0, "the bytes were uploaded");
    const ack = await slack.waitForCall("response_url", (c) => /Delte/.test(String(c.args.text)));
    assert.equal(ack.args.response_type, "ephemeral");
  });

  test("/kkr summary → the one-screen summary; Show details gives the long form to the clicker", async () => {
    await slack.sendCommand({
      text: "opsummer KKR Syddanmark 11. november 2020",
      user: "U4",
      channel: "C12",
    });
    const reply = await slack.waitForCall("response_url", (c) => c.args.replace_original === true);
    assert.deepEqual(service.summaries[0]?.ref, "KKR Syddanmark 11. november 2020");
    const blocks = reply.args.blocks as unknown[];
    assert.match(blocksText(blocks), /2\.3 DK2020 og regional organisering – Orientering/);
    const details = findButtons(blocks, ACTION.summaryDetails)[0];
    assert.equal(details?.button.text && (details.button.text as { text: string }).text, "Vis detaljer");
    await slack.sendAction({
      actionId: ACTION.summaryDetails,
      blocks,
      user: "U4",
      channel: "C12",
      ephemeral: true,
    });
    const long = await slack.waitForCall("response_url", (c) =>
      /Indstilling:/.test(blocksText(c.args.blocks as unknown[])),
    );
    assert.equal(long.args.response_type, "ephemeral");
    assert.deepEqual(service.summaries[1], {
      ref: "syddanmark-2020-11-11",
      options: service.summaries[1]?.options,
    });
    assert.equal(service.summaries[1]?.options?.detail, true);
    assert.equal(service.summaries[1]?.options?.language, "da");
    assert.ok(
      !JSON.stringify(long.args.blocks).includes(ACTION.summaryDetails),
      "no details button on the long form",
    );
  });

  test("/kkr find and summary without anything to look for explain how", async () => {
    const { ack } = await slack.sendCommand({ text: "find" });
    assert.match(String(ack?.payload?.text), /Skriv hvad du leder efter/);
    const second = await slack.sendCommand({ text: "summary" });
    assert.match(String(second.ack?.payload?.text), /Say which meeting/);
    assert.equal(service.finds.length + service.summaries.length, 0);
  });

  test("reconnects after Slack's disconnect message and keeps answering", async () => {
    const before = slack.socket.connectionCount;
    slack.socket.sendDisconnect("refresh_requested");
    await slack.socket.waitForConnection(before + 1);
    await waitUntil(() => slack.socket.openConnections === 1);
    const { ts } = await slack.mention({ channel: "C10", user: "U1", text: "hvem er formand?" });
    await slack.waitForAnswer({ channel: "C10", threadTs: ts });
    assert.equal(slack.callsTo("apps.connections.open").length, 2);
  });

  test("reconnects after network loss (connection dropped without a close frame)", async () => {
    const before = slack.socket.connectionCount;
    slack.socket.dropConnections();
    await slack.socket.waitForConnection(before + 1);
    const { ts } = await slack.mention({ channel: "C11", user: "U1", text: "hvem er formand?" });
    await slack.waitForAnswer({ channel: "C11", threadTs: ts });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
