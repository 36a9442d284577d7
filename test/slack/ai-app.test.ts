import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import { silentLogger } from "../../src/logger.js";
import { type SlackBot, startSlackBot } from "../../src/slack/app.js";
import { ACTION } from "../../src/slack/render.js";
import { BOT_USER_ID, blocksText, findButtons, SlackEmulator } from "../helpers/slack-emulator.js";
import { emulatorConfig, type FakeService, fakeService } from "./fake-service.js";

/** The assistant pane, App Home, channel defaults and group DMs through @slack/bolt and the emulator. */
describe("Slack as an AI app", () => {
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

  describe("assistant pane", () => {
    test("assistant_thread_started → a greeting and suggested prompts built from the index", async () => {
      const { threadTs } = await slack.assistantThreadStarted({
        user: "U1",
        channel: "D1",
        context: { channel_id: "C1" },
      });
      await slack.waitForCall("assistant.threads.setSuggestedPrompts");
      const state = slack.assistantThread("D1", threadTs);
      assert.equal(state.promptsTitle, "Prøv for eksempel");
      assert.deepEqual(
        state.prompts?.map((p) => p.message),
        [
          "opsummer seneste møde i KKR Syddanmark",
          "opsummer seneste møde i KKR Sjælland",
          "Hvad står DEB for?",
          "find folder KKR Sjælland marts 2022",
        ],
      );
      const greeting = slack.messages.find((m) => m.channel === "D1" && m.thread_ts === threadTs);
      assert.match(greeting?.text ?? "", /^Hej! Jeg svarer på spørgsmål om KKR-dokumenterne/);
      assert.equal(
        greeting?.metadata?.event_type,
        "assistant_thread_context",
        "the context is kept on the greeting",
      );
    });

    test("the prompts follow the user's Slack locale", async () => {
      slack.users.set("U9", { locale: "en-GB" });
      const { threadTs } = await slack.assistantThreadStarted({ user: "U9", channel: "D9" });
      await slack.waitForCall("assistant.threads.setSuggestedPrompts", (c) => c.args.channel_id === "D9");
      const state = slack.assistantThread("D9", threadTs);
      assert.equal(state.prompts?.[0]?.message, "summary of the latest KKR Syddanmark meeting");
      assert.equal(state.prompts?.[2]?.message, "What does DEB stand for?");
    });

    test("a question → status, title, then one answer in the thread; the status is cleared", async () => {
      const { threadTs } = await slack.assistantThreadStarted({ user: "U1", channel: "D2" });
      await slack.waitForCall("assistant.threads.setSuggestedPrompts", (c) => c.args.channel_id === "D2");
      const { ts } = await slack.assistantMessage({
        channel: "D2",
        user: "U1",
        text: "hvem repræsenterer Syddanmark i DEB?",
        threadTs,
      });
      const cleared = await slack.waitForCall(
        "assistant.threads.setStatus",
        (c) => c.args.channel_id === "D2" && c.args.status === "",
      );
      const status = slack.callsTo("assistant.threads.setStatus").find((c) => c.args.channel_id === "D2");
      assert.equal(status?.args.status, "Søger i dokumenterne…");
      const answers = slack.messages.filter(
        (m) => m.channel === "D2" && m.thread_ts === threadTs && m.ts > ts,
      );
      assert.equal(answers.length, 1, "one answer message, no placeholder");
      const answerCall = slack
        .callsTo("chat.postMessage")
        .find((c) => c.args.channel === "D2" && c.seq > (status?.seq ?? 0));
      assert.ok(
        answerCall && (status?.seq ?? 0) < answerCall.seq && answerCall.seq < cleared.seq,
        "status, answer, clear",
      );
      assert.match(blocksText(answers[0]?.blocks), /Jens Ejner Christensen/);
      assert.equal(answers[0]?.metadata?.event_type, "kkr_answer");
      assert.equal(slack.assistantThread("D2", threadTs).title, "hvem repræsenterer Syddanmark i DEB?");
      assert.equal(slack.callsTo("chat.startStream").length, 0, "an extractive answer is not streamed");

      // a follow-up: history from the thread, the title stays
      await slack.assistantMessage({ channel: "D2", user: "U1", text: "og i Sjælland?", threadTs });
      await waitUntil(() => service.asks.length === 2);
      await slack.settle();
      assert.equal(service.asks[1]?.options?.history?.[0]?.question, "hvem repræsenterer Syddanmark i DEB?");
      assert.equal(slack.callsTo("assistant.threads.setTitle").length, 1);
    });

    test("routing in the pane: find lists documents, hjælp shows help, summaries have Show details", async () => {
      const { threadTs } = await slack.assistantThreadStarted({ user: "U1", channel: "D3" });
      await slack.assistantMessage({ channel: "D3", user: "U1", text: "find DEB", threadTs });
      await waitUntil(() => service.finds.length === 1);
      await slack.assistantMessage({ channel: "D3", user: "U1", text: "hjælp", threadTs });
      await slack.assistantMessage({
        channel: "D3",
        user: "U1",
        text: "opsummer seneste møde i KKR Syddanmark",
        threadTs,
      });
      await waitUntil(() => service.summaries.length === 1);
      await slack.settle();
      const texts = slack.messages
        .filter((m) => m.channel === "D3")
        .map((m) => blocksText(m.blocks) || m.text);
      assert.ok(texts.some((t) => /Dokumenter der matcher “DEB”/.test(t)));
      assert.ok(texts.some((t) => /\/kkr find SØGNING/.test(t)));
      assert.equal(service.asks.length, 0, "nothing was answered as a question");
      const summary = slack.messages.find(
        (m) => m.channel === "D3" && /Orientering/.test(blocksText(m.blocks)),
      );
      assert.ok(findButtons(summary?.blocks ?? [], ACTION.summaryDetails).length === 1);
    });

    test("the context channel lends its default region; the user's own DM default wins", async () => {
      service.settings.set("C7", {
        channel: "C7",
        region: "Sjælland",
        setBy: "U0",
        setAt: "2024-01-01T00:00:00Z",
      });
      const { threadTs } = await slack.assistantThreadStarted({
        user: "U1",
        channel: "D7",
        context: { channel_id: "C7" },
      });
      await slack.assistantMessage({ channel: "D7", user: "U1", text: "hvem er formand?", threadTs });
      await waitUntil(() => service.asks.length === 1);
      assert.equal(
        service.asks[0]?.options && "defaultRegion" in service.asks[0].options
          ? service.asks[0].options.defaultRegion
          : null,
        "Sjælland",
      );
      await slack.assistantContextChanged({
        user: "U1",
        channel: "D7",
        threadTs,
        context: { channel_id: "C8" },
      });
      await slack.assistantMessage({ channel: "D7", user: "U1", text: "hvem er næstformand?", threadTs });
      await waitUntil(() => service.asks.length === 2);
      assert.equal(regionOf(service.asks[1]?.options), null, "C8 has no default");
      service.settings.set("D7", {
        channel: "D7",
        region: "Syddanmark",
        setBy: "U1",
        setAt: "2024-01-01T00:00:00Z",
      });
      await slack.assistantContextChanged({
        user: "U1",
        channel: "D7",
        threadTs,
        context: { channel_id: "C7" },
      });
      await slack.assistantMessage({ channel: "D7", user: "U1", text: "hvem er sekretær?", threadTs });
      await waitUntil(() => service.asks.length === 3);
      assert.equal(regionOf(service.asks[2]?.options), "Syddanmark");
    });

    test("a DM thread without the pane (no status allowed): a placeholder, replaced by the answer", async () => {
      slack.failNext("assistant.threads.setStatus", "missing_scope");
      const top = await slack.dm({ channel: "D5", user: "U1", text: "hvem er formand?" });
      // a reply in the thread of the bot's top-level answer
      const first = await slack.waitForAnswer({ channel: "D5", afterTs: top.ts });
      const { ts } = await slack.assistantMessage({
        channel: "D5",
        user: "U1",
        text: "og næstformanden?",
        threadTs: first.ts,
      });
      await waitUntil(() => service.asks.length === 2);
      await slack.settle();
      const inThread = slack.messages.filter(
        (m) => m.channel === "D5" && m.thread_ts === first.ts && m.ts > ts,
      );
      assert.equal(inThread.length, 1, "one reply in the thread");
      assert.ok(
        slack.callsTo("chat.update").some((c) => c.args.ts === inThread[0]?.ts),
        "the placeholder became the answer",
      );
      assert.match(blocksText(inThread[0]?.blocks), /Jens Ejner Christensen/);
      assert.equal(service.asks[1]?.options?.history?.[0]?.question, "hvem er formand?");
    });

    test("a failure apologises in the thread and clears the status", async () => {
      service.askImpl = async () => {
        throw new Error("index exploded: ECONNRESET");
      };
      const { threadTs } = await slack.assistantThreadStarted({ user: "U1", channel: "D4" });
      await slack.assistantMessage({ channel: "D4", user: "U1", text: "hvem er formand?", threadTs });
      await slack.waitForCall(
        "assistant.threads.setStatus",
        (c) => c.args.channel_id === "D4" && c.args.status === "",
      );
      const last = slack.messages.filter((m) => m.channel === "D4").pop();
      assert.match(last?.text ?? "", /Beklager/);
      assert.ok(!JSON.stringify(slack.messages).includes("ECONNRESET"));
    });
  });

  describe("App Home", () => {
    test("app_home_opened publishes what the index holds, how to ask and the user's recent questions", async () => {
      await slack.mention({ channel: "C1", user: "U3", text: "hvem repræsenterer Syddanmark i DEB?" });
      await waitUntil(() => service.asks.length === 1);
      await slack.settle();
      await slack.appHomeOpened({ user: "U3" });
      const publish = await slack.waitForCall("views.publish");
      assert.equal(publish.args.user_id, "U3");
      const view = slack.homeViews.get("U3");
      assert.equal(view?.type, "home");
      const text = blocksText(view?.blocks as unknown[]);
      assert.match(text, /Indekset rummer 5 dokumenter\. Sidst synkroniseret 1\. maj 2024 08:00 UTC/);
      assert.match(text, /• KKR Syddanmark: 2\n• KKR Sjælland: 2|• KKR Sjælland: 2\n• KKR Syddanmark: 2/);
      assert.match(text, /• Alle KKR: 1/);
      assert.match(text, /KKR Syddanmark · 11\. nov\. 2020 · Virtuelt via Teams \(dagsorden\)/);
      assert.match(text, /Sådan spørger du/);
      assert.match(text, /Dine seneste spørgsmål\*\n• hvem repræsenterer Syddanmark i DEB\?/);
      assert.equal(findButtons(view?.blocks as unknown[], ACTION.homeSummary).length, 2);
    });

    test("the messages tab does not publish; the Summary button posts the summary in the user's DM", async () => {
      await slack.appHomeOpened({ user: "U4", tab: "messages" });
      await slack.settle();
      assert.equal(slack.callsTo("views.publish").length, 0);
      await slack.appHomeOpened({ user: "U4" });
      await slack.waitForCall("views.publish");
      await slack.sendHomeAction({ actionId: ACTION.homeSummary, user: "U4" });
      const posted = await slack.waitForCall("chat.postMessage", (c) => c.args.channel === "U4");
      assert.equal(service.summaries[0]?.ref, "syddanmark-2020-11-11");
      assert.match(
        blocksText(posted.args.blocks as unknown[]),
        /2\.3 DK2020 og regional organisering – Orientering/,
      );
      assert.ok(findButtons(posted.args.blocks as unknown[], ACTION.summaryDetails).length === 1);
    });
  });

  describe("channel defaults", () => {
    test("a member who is neither admin nor the channel's creator is refused", async () => {
      slack.channels.set("C20", { creator: "UOWNER" });
      await slack.sendCommand({ text: "config region Syddanmark", user: "U5", channel: "C20" });
      const reply = await slack.waitForCall("response_url");
      assert.match(String(reply.args.text), /Kun workspace-administratorer og den, der oprettede kanalen/);
      assert.equal(service.settings.size, 0);
      assert.equal(slack.callsTo("users.info")[0]?.args.user, "U5");
      assert.equal(slack.callsTo("conversations.info")[0]?.args.channel, "C20");
    });

    test("the channel's creator sets it; questions there use it, shown next to the sources; clear removes it", async () => {
      slack.channels.set("C21", { creator: "U6" });
      await slack.sendCommand({ text: "config region Syddanmark", user: "U6", channel: "C21" });
      const set = await slack.waitForCall("response_url");
      assert.match(String(set.args.text), /standardregion er nu KKR Syddanmark/);
      assert.equal(service.settings.get("C21")?.region, "Syddanmark");
      assert.equal(service.settings.get("C21")?.setBy, "U6");

      const { ts } = await slack.mention({ channel: "C21", user: "U7", text: "hvem er formand?" });
      const answer = await slack.waitForAnswer({ channel: "C21", threadTs: ts });
      assert.equal(regionOf(service.asks[0]?.options), "Syddanmark");
      // the fake core reports the default as applied
      service.askImpl = async (q, o) => ({
        ...(await fakeService().askImpl(q, o)),
        defaultRegion: "Syddanmark",
      });
      const second = await slack.mention({ channel: "C21", user: "U7", text: "og næstformanden?" });
      const shown = await slack.waitForAnswer({ channel: "C21", threadTs: second.ts });
      assert.match(blocksText(shown.blocks), /Kanalens standard: KKR Syddanmark/);
      assert.ok(!/Kanalens standard/.test(blocksText(answer.blocks)), "shown only when the core applied it");

      await slack.sendCommand({ text: "config region clear", user: "U6", channel: "C21" });
      await slack.waitForCall("response_url", (c) => /fjernet/.test(String(c.args.text)));
      assert.equal(service.settings.has("C21"), false);
    });

    test("a workspace admin may change any channel; an unknown region is refused with the choices", async () => {
      slack.users.set("U8", { is_admin: true });
      await slack.sendCommand({ text: "config region Fyn", user: "U8", channel: "C22" });
      const bad = await slack.waitForCall("response_url");
      assert.match(String(bad.args.text), /“Fyn” er ikke en KKR-region/);
      await slack.sendCommand({ text: "config region sjaelland", user: "U8", channel: "C22" });
      await slack.waitForCall("response_url", (c) => /KKR Sjælland/.test(String(c.args.text)));
      assert.equal(service.settings.get("C22")?.region, "Sjælland");
      assert.equal(slack.callsTo("conversations.info").length, 0, "admins need no creator check");
    });

    test("group DMs work like channels: a mention is answered once in its thread, with the group's default", async () => {
      slack.channels.set("G1", { creator: "U10", is_mpim: true });
      service.settings.set("G1", {
        channel: "G1",
        region: "Sjælland",
        setBy: "U10",
        setAt: "2024-01-01T00:00:00Z",
      });
      const { ts } = await slack.groupMessage({ channel: "G1", user: "U11", text: "hvem er formand?" });
      const answer = await slack.waitForAnswer({ channel: "G1", threadTs: ts });
      await slack.settle();
      assert.equal(service.asks.length, 1, "message.mpim and app_mention of one message: one answer");
      assert.equal(regionOf(service.asks[0]?.options), "Sjælland");
      assert.match(blocksText(answer.blocks), /Jens Ejner Christensen/);
      await slack.groupMessage({ channel: "G1", user: "U11", text: "bare snak", mention: false });
      await slack.settle();
      assert.equal(service.asks.length, 1, "group DM chatter without a mention is ignored");
      // the group's creator may change it, by mention too
      await slack.groupMessage({ channel: "G1", user: "U10", text: "config region Hovedstaden" });
      await waitUntil(() => service.settings.get("G1")?.region === "Hovedstaden");
    });
  });

  test("mentions route like everywhere else: find and opsummer", async () => {
    const { ts } = await slack.mention({
      channel: "C30",
      user: "U1",
      text: "find folderen til nye KKR-medlemmer",
    });
    const list = await slack.waitForAnswer({ channel: "C30", threadTs: ts });
    assert.equal(service.finds[0]?.query, "folderen til nye KKR-medlemmer");
    assert.ok(findButtons(list.blocks ?? [], ACTION.shareFile).length === 1);
    const second = await slack.mention({
      channel: "C30",
      user: "U1",
      text: "opsummer KKR Syddanmark 11. november 2020",
    });
    await slack.waitForAnswer({ channel: "C30", threadTs: second.ts });
    assert.equal(service.summaries[0]?.ref, "KKR Syddanmark 11. november 2020");
    assert.equal(service.asks.length, 0);
    assert.ok(slack.messages.every((m) => m.user !== BOT_USER_ID || m.channel !== "C30" || m.thread_ts));
  });
});

function regionOf(options: unknown): string | null {
  const o = options as { defaultRegion?: string | null } | undefined;
  return o?.defaultRegion ?? null;
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
