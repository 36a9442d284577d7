import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Kkr } from "../../src/kkr.js";
import { silentLogger } from "../../src/logger.js";
import { type SlackBot, startSlackBot } from "../../src/slack/app.js";
import { ACTION } from "../../src/slack/render.js";
import { buildIndex, testConfig } from "../helpers/index-fixture.js";
import {
  chatMessages,
  chatReply,
  type OpenAITestServer,
  startOpenAIServer,
} from "../helpers/openai-server.js";
import { type ApiCall, blocksText, findButtons, SlackEmulator } from "../helpers/slack-emulator.js";
import { emulatorConfig } from "./fake-service.js";

/**
 * LLM answers stream into the assistant thread (chat.startStream → appendStream →
 * stopStream): the real core, answering with a model served by the local OpenAI-compatible
 * server, whose answer cites a passage that was never sent.
 */
describe("streamed LLM answers in the assistant pane", () => {
  let index: Awaited<ReturnType<typeof buildIndex>>;
  let server: OpenAITestServer;
  let kkr: Kkr;
  let slack: SlackEmulator;
  let bot: SlackBot;

  before(async () => {
    index = await buildIndex();
    server = await startOpenAIServer();
    server.fallback = (req) => {
      const user = chatMessages(req)[1]?.content ?? "";
      // cite the passage that names the DEB member, and one that doesn't exist
      const n = [...user.matchAll(/<passage n="(\d+)">([\s\S]*?)<\/passage>/g)].find((m) =>
        /Lunds?f?ryd Jensen/.test(m[2] ?? ""),
      )?.[1];
      return chatReply(
        `Johannes Lundsryd Jensen fra Middelfart repræsenterer KKR Syddanmark i Danmarks Erhvervsfremmebestyrelse (DEB) [${n ?? 1}][42]. Han blev udpeget i 2019 [99].`,
      );
    };
    kkr = await Kkr.open(
      testConfig(index.db, { OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: "sk-test-0123456789" }),
      { rewriter: null },
    );
    slack = await SlackEmulator.start();
    bot = await startSlackBot({ config: emulatorConfig(slack), service: kkr, logger: silentLogger });
  });
  after(async () => {
    await bot.stop();
    await slack.close();
    await kkr.close();
    await server.close();
    index.cleanup();
  });

  test("the checked answer streams in; an invalid [n] is never sent; sources arrive with the stop", async () => {
    const { threadTs } = await slack.assistantThreadStarted({ user: "U1", channel: "D1" });
    await slack.waitForCall("assistant.threads.setSuggestedPrompts");
    await slack.assistantMessage({
      channel: "D1",
      user: "U1",
      text: "Hvem repræsenterer Syddanmark i DEB?",
      threadTs,
    });
    const stop = await slack.waitForCall("chat.stopStream", () => true, 15_000);
    const start = slack.callsTo("chat.startStream")[0];
    assert.ok(start, "the stream was started");
    assert.equal(start.args.channel, "D1");
    assert.equal(start.args.thread_ts, threadTs);
    assert.ok(server.requestsTo("/chat/completions").length >= 1, "the model answered");

    const streamCalls = slack.calls.filter((c) => /^chat\.(start|append|stop)Stream$/.test(c.method));
    const streamed = streamCalls.map(chunkText).join("");
    assert.match(streamed, /Johannes Lundsryd Jensen fra Middelfart repræsenterer KKR Syddanmark/);
    assert.match(streamed, /DEB\) \[\d+\]\./, "the valid citation stays");
    for (const call of streamCalls) {
      assert.ok(!/\[42\]|\[99\]/.test(JSON.stringify(call.args)), `no invalid citation in ${call.method}`);
    }

    const message = slack.messages.find((m) => m.channel === "D1" && m.ts === stop.args.ts);
    assert.ok(message && !message.streaming);
    const final = blocksText(message.blocks) + message.text;
    assert.ok(!/\[42\]|\[99\]/.test(final));
    assert.match(blocksText(message.blocks), /Kilder/);
    assert.match(blocksText(message.blocks), /\[\d+\] KKR Syddanmark · Dagsorden · 11\. nov\. 2020/);
    assert.equal(findButtons(message.blocks ?? [], ACTION.feedbackUp).length, 1);
    assert.equal(message.metadata?.event_type, "kkr_answer", "follow-ups can read the question back");

    // status first, cleared at the end; no separate answer message
    await slack.waitForCall("assistant.threads.setStatus", (c) => c.args.status === "");
    const statuses = slack.callsTo("assistant.threads.setStatus");
    assert.equal(statuses[0]?.args.status, "Søger i dokumenterne…");
    assert.ok((statuses[0]?.seq ?? 0) < start.seq);
    assert.equal(statuses[statuses.length - 1]?.args.status, "");
    const posted = slack.callsTo("chat.postMessage").filter((c) => c.args.thread_ts === threadTs);
    assert.equal(posted.length, 1, "only the greeting was posted; the answer was streamed");
  });

  test("a summary with the model's overview streams too, with Show details when it stops", async () => {
    const { threadTs } = await slack.assistantThreadStarted({ user: "U3", channel: "D3" });
    await slack.assistantMessage({
      channel: "D3",
      user: "U3",
      text: "opsummer KKR Syddanmark 11. november 2020",
      threadTs,
    });
    const stop = await slack.waitForCall("chat.stopStream", (c) => c.args.channel === "D3", 15_000);
    const streamed = slack.calls
      .filter((c) => /^chat\.(start|append|stop)Stream$/.test(c.method) && c.args.channel === "D3")
      .map(chunkText)
      .join("");
    assert.match(streamed, /^KKR Syddanmark – møde 11\. november 2020/);
    assert.match(streamed, /Johannes Lundsryd Jensen fra Middelfart repræsenterer/, "the overview paragraph");
    assert.match(streamed, /2\.3 DK2020 og regional organisering – Orientering/);
    assert.ok(!/\[42\]|\[99\]/.test(streamed));
    assert.equal(findButtons((stop.args.blocks as unknown[]) ?? [], ACTION.summaryDetails).length, 1);
  });

  test("a mention answered by the model keeps one updated message, its citations checked", async () => {
    const { ts } = await slack.mention({
      channel: "C1",
      user: "U2",
      text: "Hvem repræsenterer Syddanmark i DEB?",
    });
    const answer = await slack.waitForAnswer({ channel: "C1", threadTs: ts }, 15_000);
    assert.equal(slack.callsTo("chat.startStream").filter((c) => c.args.channel === "C1").length, 0);
    assert.match(blocksText(answer.blocks), /Lundsryd Jensen/);
    assert.ok(!/\[42\]|\[99\]/.test(blocksText(answer.blocks)));
  });
});

function chunkText(call: ApiCall): string {
  let text = typeof call.args.markdown_text === "string" ? call.args.markdown_text : "";
  for (const c of (call.args.chunks as { type?: string; text?: string }[] | undefined) ?? []) {
    if (c.type === "markdown_text" && typeof c.text === "string") text += c.text;
  }
  return text;
}
