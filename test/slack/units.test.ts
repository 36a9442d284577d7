import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { routeInput } from "../../src/chat/route.js";
import { parseConfig } from "../../src/slack/channel-config.js";
import { Deduper, eventKeys } from "../../src/slack/dedupe.js";
import { escapeMrkdwn, mrkdwnLink, safeUrl, slackToPlain } from "../../src/slack/escape.js";
import { RateLimiter } from "../../src/slack/rate-limit.js";
import {
  ACTION,
  citationLine,
  decodeAnswerRef,
  encodeAnswerRef,
  formatDate,
  renderAnswer,
  splitText,
} from "../../src/slack/render.js";
import { ANSWER_METADATA_TYPE, historyFromThread } from "../../src/slack/thread-context.js";
import { blocksText } from "../helpers/slack-emulator.js";
import { cannedResult, citation } from "./fake-service.js";

describe("escape", () => {
  test("escapes Slack control characters so no mention or link can be produced", () => {
    const out = escapeMrkdwn("<!channel> <!here> <!everyone> <@U123> <#C1> <http://x|y> a & b");
    assert.ok(!/[<>]/.test(out));
    assert.equal(escapeMrkdwn("a & b <c>"), "a &amp; b &lt;c&gt;");
  });

  test("links only http(s) urls and escapes the label", () => {
    assert.equal(safeUrl("javascript:alert(1)"), null);
    assert.equal(safeUrl("not a url"), null);
    assert.equal(
      mrkdwnLink("https://kl.dk/a|b>c", "x <!channel> | y"),
      "<https://kl.dk/a%7Cb%3Ec|x &lt;!channel&gt; ¦ y>",
    );
    assert.equal(mrkdwnLink(null, "<@U1>"), "&lt;@U1&gt;");
  });

  test("slackToPlain drops the bot mention and undoes Slack markup", () => {
    assert.equal(
      slackToPlain("<@UBOT> hvem er <@U9|anna> i <#C1|kkr>? &lt;3 &amp; <https://kl.dk|KL>", "UBOT"),
      "hvem er @anna i #kkr? <3 & KL",
    );
  });
});

describe("render", () => {
  test("citation lines follow the documented shape, in both languages", () => {
    assert.equal(
      citationLine(citation(1, { url: null }), "da"),
      "[1] KKR Syddanmark · Dagsorden · 11. nov. 2020 · pkt. 3.1 Siden sidst",
    );
    assert.equal(
      citationLine(citation(2, { url: null }), "en"),
      "[2] KKR Syddanmark · Agenda · 11 Nov 2020 · item 3.1 Siden sidst",
    );
    assert.equal(
      citationLine(
        citation(3, {
          url: null,
          region: null,
          kind: "side",
          title: "Notat <x>",
          section: "",
          item: null,
          page: 4,
        }),
        "da",
      ),
      "[3] Notat &lt;x&gt; · 11. nov. 2020 · s. 4",
    );
    assert.equal(formatDate("2020-09", "da"), "sep. 2020");
    assert.equal(formatDate("2016", "en"), "2016");
  });

  test("long answers are split within Slack's limits, citations and buttons kept in the last message", () => {
    const long = Array.from({ length: 400 }, (_, i) => `Sætning ${i} om DK2020 & klima <!here>.`).join(" ");
    const result = { ...cannedResult("q", "da"), answer: long };
    const limits = { sectionChars: 500, charsPerMessage: 4_000, blocksPerMessage: 10 };
    const messages = renderAnswer(result, { language: "da", question: "q", answerId: "id1", limits });
    assert.ok(messages.length > 1);
    for (const m of messages) {
      assert.ok(m.blocks.length <= 10);
      for (const b of m.blocks) {
        if (b.type === "section") assert.ok((b.text?.text.length ?? 0) <= 500);
      }
      assert.ok(!JSON.stringify(m).includes("<!here>"));
    }
    const last = messages[messages.length - 1];
    assert.ok(last && blocksText(last.blocks).includes("[1]"));
    assert.ok(JSON.stringify(last?.blocks).includes(ACTION.feedbackUp));
    // Nothing lost: every sentence appears once.
    const all = messages.map((m) => blocksText(m.blocks)).join("\n");
    assert.ok(all.includes("Sætning 0 ") && all.includes("Sætning 399 "));
  });

  test("default limits: 3000 chars per section, ≤ 50 blocks", () => {
    const result = { ...cannedResult("q", "da"), answer: "x".repeat(20_000) };
    const messages = renderAnswer(result, { language: "da", question: "q", answerId: "id" });
    for (const m of messages) {
      assert.ok(m.blocks.length <= 50);
      assert.ok(m.text.length <= 40_000);
      for (const b of m.blocks) if (b.type === "section") assert.ok((b.text?.text.length ?? 0) <= 3000);
    }
  });

  test("splitText never cuts an entity", () => {
    const pieces = splitText("&amp;".repeat(50), 12);
    for (const p of pieces) assert.match(p, /^(&amp;)+$/);
  });

  test("button values stay under 2000 characters and round-trip", () => {
    const value = encodeAnswerRef({ a: "abc", q: "å".repeat(5_000) });
    assert.ok(value.length <= 2000);
    assert.equal(decodeAnswerRef(value)?.a, "abc");
    assert.equal(decodeAnswerRef("not json"), null);
  });

  test("abstained answers list the closest documents", () => {
    const result = {
      ...cannedResult("q", "en"),
      abstained: true,
      answer: "I couldn't find that in the documents.",
      citations: [],
      closest: [{ source: "a.pdf", title: "Agenda <x>", url: "https://kl.dk/a.pdf", date: "2020-11-11" }],
    };
    const [m] = renderAnswer(result, { language: "en", question: "q", answerId: "id" });
    assert.match(
      blocksText(m?.blocks),
      /Closest documents\*\n• <https:\/\/kl\.dk\/a\.pdf\|Agenda &lt;x&gt;> \(11 Nov 2020\)/,
    );
    assert.ok(!JSON.stringify(m?.blocks).includes(ACTION.showSources), "no sources button without citations");
  });

  test("quoted passages render as blockquotes while their content stays escaped", () => {
    const result = {
      ...cannedResult("q", "da" as const),
      answer: "Ifølge dagsordenen, pkt. 3.1 Siden sidst:\n> Ring til <!channel> eller <@U123> [1]",
    };
    const [m] = renderAnswer(result, { language: "da", question: "q", answerId: "id" });
    const text = blocksText(m?.blocks);
    assert.match(text, /\n>Ring til &lt;!channel&gt; eller &lt;@U123&gt; \[1\]/);
    assert.ok(!text.includes("<!channel>") && !text.includes("<@U123>"));
  });

  test("a source is named by its agenda item's own heading, not a sub-heading inside it", () => {
    const c = citation(1, {
      url: null,
      item: "3.1",
      section: "3. Siden sidst › 3.1 Siden sidst › Sagsfremstilling › Børnehus Syd",
    });
    assert.match(citationLine(c, "da"), /pkt\. 3\.1 Siden sidst$/);
  });
});

describe("dedupe and rate limit", () => {
  test("a key is a duplicate until its TTL passes", () => {
    let now = 0;
    const d = new Deduper({ ttlMs: 1_000, now: () => now });
    const keys = eventKeys({ eventId: "Ev1", channel: "C1", ts: "1.0" });
    assert.equal(d.isDuplicate(keys), false);
    assert.equal(d.isDuplicate(keys), true);
    assert.equal(
      d.isDuplicate(eventKeys({ eventId: "Ev2", channel: "C1", ts: "1.0" })),
      true,
      "same message",
    );
    now = 2_000;
    assert.equal(d.isDuplicate(keys), false);
  });

  test("per-user sliding window", () => {
    let now = 0;
    const r = new RateLimiter({ limit: 2, windowMs: 60_000, now: () => now });
    assert.equal(r.take("U1").ok, true);
    now = 10_000;
    assert.equal(r.take("U1").ok, true);
    const denied = r.take("U1");
    assert.equal(denied.ok, false);
    assert.equal(denied.ok ? 0 : denied.retryAfterMs, 50_000);
    assert.equal(r.take("U2").ok, true, "other users are not affected");
    now = 60_001;
    assert.equal(r.take("U1").ok, true, "the window slides");
    assert.equal(new RateLimiter({ limit: 0 }).take("U1").ok, true, "0 disables");
  });
});

describe("/kkr parsing (the shared routing)", () => {
  const route = (text: string) => {
    const r = routeInput(text);
    return { kind: r.kind, text: r.text };
  };
  test("subcommands and questions", () => {
    assert.deepEqual(route(""), { kind: "help", text: "" });
    assert.deepEqual(route("help"), { kind: "help", text: "" });
    assert.deepEqual(route("find  DK2020 klima"), { kind: "find", text: "DK2020 klima" });
    assert.deepEqual(route("Summary KKR Sjælland september 2020"), {
      kind: "summary",
      text: "KKR Sjælland september 2020",
    });
    assert.deepEqual(route("hvem er formand for KKR Syddanmark?"), {
      kind: "ask",
      text: "hvem er formand for KKR Syddanmark?",
    });
    assert.deepEqual(route("help me find the agenda"), { kind: "ask", text: "help me find the agenda" });
    assert.deepEqual(route("config region Syddanmark"), { kind: "config", text: "region Syddanmark" });
  });

  test("config: set, clear, show, unknown region", () => {
    assert.deepEqual(parseConfig("region Syddanmark"), { action: "set", region: "Syddanmark" });
    assert.deepEqual(parseConfig("region KKR sjaelland"), { action: "set", region: "Sjælland" });
    assert.deepEqual(parseConfig("region clear"), { action: "clear" });
    assert.deepEqual(parseConfig("clear"), { action: "clear" });
    assert.deepEqual(parseConfig(""), { action: "show" });
    assert.deepEqual(parseConfig("region Fyn og Omegn"), { action: "unknown-region", value: "Fyn og Omegn" });
    assert.deepEqual(parseConfig("colour blue"), { action: "usage" });
  });
});

describe("thread history", () => {
  const bot = { botUserId: "UBOT", botId: "BBOT" };

  test("no history when the bot has not answered in the thread", () => {
    const messages = [{ ts: "1.0", user: "U1", text: "<@UBOT> hej" }];
    assert.equal(historyFromThread(messages, { bot, currentTs: "2.0", isDm: false }), null);
  });

  test("earlier questions (mentions) and the bot's answers become history, oldest first", () => {
    const messages = [
      { ts: "1.0", user: "U1", text: "<@UBOT> hvem repræsenterer Syddanmark i DEB?" },
      {
        ts: "1.5",
        user: "UBOT",
        bot_id: "BBOT",
        text: "Jens Ejner Christensen [1]",
        metadata: {
          event_type: ANSWER_METADATA_TYPE,
          event_payload: { question: "hvem repræsenterer Syddanmark i DEB?" },
        },
      },
      { ts: "1.7", user: "U2", text: "snak uden mention" },
      { ts: "2.0", user: "U1", text: "<@UBOT> og i Sjælland?" },
    ];
    const history = historyFromThread(messages, { bot, currentTs: "2.0", isDm: false });
    assert.deepEqual(history, [
      { question: "hvem repræsenterer Syddanmark i DEB?", answer: "Jens Ejner Christensen [1]" },
    ]);
  });

  test("in a DM thread under the bot's answer, the question comes from the answer's metadata", () => {
    const messages = [
      {
        ts: "1.0",
        user: "UBOT",
        bot_id: "BBOT",
        text: "Svar",
        metadata: { event_type: ANSWER_METADATA_TYPE, event_payload: { question: "hvornår var mødet?" } },
      },
      { ts: "2.0", user: "U1", text: "og hvor?" },
    ];
    assert.deepEqual(historyFromThread(messages, { bot, currentTs: "2.0", isDm: true }), [
      { question: "hvornår var mødet?", answer: "Svar" },
    ]);
  });
});
