import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { isKkrError } from "../../src/errors.js";
import { silentLogger } from "../../src/logger.js";
import { type SlackBot, startSlackBot } from "../../src/slack/app.js";
import { sanitizeQuestion } from "../../src/text/sanitize.js";
import { useCorpusKkr } from "../helpers/index-fixture.js";
import { blocksText, SlackEmulator } from "../helpers/slack-emulator.js";
import { emulatorConfig } from "../slack/fake-service.js";

/**
 * Issue 8.11: control characters, ANSI escapes, soft hyphens and zero-width characters in
 * a question are stripped before analysis, so a good question stays a good question.
 */

const QUESTION = "Hvem er formand for KKR Sjælland?";
const HOSTILE: [string, string][] = [
  ["soft hyphens", "Hvem er for\u00admand for KKR Sjæl\u00adland?"],
  ["ANSI colour codes", "\u001b[1;31mHvem er formand for KKR Sjælland?\u001b[0m"],
  ["zero-width characters inside words", "Hvem er for\u200bmand for KKR Sjæl\u200dland?"],
  ["direction marks and a BOM", "\ufeff\u202eHvem er formand\u200e for KKR Sjælland?\u202c"],
  ["control characters and odd spaces", "Hvem\u0007 er\u00a0formand\tfor\u0000 KKR\u2009Sjælland?\r"],
];

describe("sanitizeQuestion", () => {
  for (const [label, text] of HOSTILE) {
    test(label, () => assert.equal(sanitizeQuestion(text), QUESTION));
  }
  test("keeps line breaks, Danish letters and punctuation; NFC", () => {
    assert.equal(
      sanitizeQuestion("Hvad står der om  DK2020?\n– og om Ærø?"),
      "Hvad står der om DK2020?\n– og om Ærø?",
    );
    assert.equal(sanitizeQuestion("Sja\u030aelland"), "Sjåelland");
  });
});

const ref = useCorpusKkr();

describe("the core answers a question carrying invisible characters", () => {
  for (const [label, text] of HOSTILE) {
    test(`${label}: answered, not declined`, async () => {
      const r = await ref.kkr.ask(text);
      assert.equal(r.abstained, false, r.answer);
      assert.match(r.answer, /Mikael Smed/);
      assert.equal(r.question, QUESTION);
    });
  }
  test("a question of nothing but invisible characters is empty", async () => {
    await assert.rejects(ref.kkr.ask("\u200b\u00ad\u001b[0m\u2060"), (e: unknown) =>
      isKkrError(e, "QUESTION_EMPTY"),
    );
  });
  test("find and summary clean their input too", async () => {
    const hits = await ref.kkr.find("DK2020 klima\u00adplaner");
    assert.ok(hits.length > 0);
    const summary = await ref.kkr.summary(
      "KKR Synd\u200bdanmark 11. november 2020".replace("Synd\u200bd", "Sydd\u200b"),
    );
    assert.match(summary.answer, /11\. november 2020|2020-11-11/);
  });
});

describe("in Slack", () => {
  let slack: SlackEmulator;
  let bot: SlackBot;
  before(async () => {
    slack = await SlackEmulator.start();
    bot = await startSlackBot({ config: emulatorConfig(slack), service: ref.kkr, logger: silentLogger });
  });
  after(async () => {
    await bot.stop();
    await slack.close();
  });

  test("a mention with soft hyphens and zero-width spaces gets the answer", async () => {
    const { ts } = await slack.mention({
      channel: "C1",
      user: "U1",
      text: "Hvem er for\u00admand for KKR Sjæl\u200bland?",
    });
    const answer = await slack.waitForAnswer({ channel: "C1", threadTs: ts });
    assert.match(blocksText(answer.blocks), /Mikael Smed/);
  });
});
