import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../src/config.js";
import { Kkr } from "../../src/kkr.js";
import { buildIndex } from "../helpers/index-fixture.js";
import {
  chatMessages,
  chatReply,
  errorReply,
  type OpenAITestServer,
  startOpenAIServer,
} from "../helpers/openai-server.js";

/** `Kkr` wired from config to an OpenAI-compatible endpoint (a local server), end to end. */
describe("ask with an LLM configured", () => {
  let index: Awaited<ReturnType<typeof buildIndex>>;
  let server: OpenAITestServer;
  let kkr: Kkr;

  before(async () => {
    index = await buildIndex();
    server = await startOpenAIServer();
    kkr = await Kkr.open(
      loadConfig({
        KKR_DB: index.db,
        KKR_LOG_LEVEL: "silent",
        OPENAI_BASE_URL: server.baseURL,
        KKR_LLM_TIMEOUT_MS: "3000",
      }),
    );
  });
  after(async () => {
    await kkr.close();
    await server.close();
    index.cleanup();
  });

  test("the model's answer is used, its citations checked against the passages sent", async () => {
    server.fallback = (req) => {
      const user = chatMessages(req).find((m) => m.role === "user")?.content ?? "";
      // cite the passage that holds the DEB line, and invent a [42]
      const n = /\[(\d+)\][^[]*Danmarks Erhvervsfremmebestyrelse DEB ved/s.exec(user)?.[1] ?? "1";
      return chatReply(`Johannes Lundsryd Jensen repræsenterer Syddanmark i DEB [${n}][42].`);
    };
    const r = await kkr.ask("Hvem repræsenterer Syddanmark i DEB?");
    assert.equal(r.mode, "llm");
    assert.equal(r.abstained, false);
    assert.match(r.answer, /Lundsryd Jensen/);
    assert.doesNotMatch(r.answer, /\[42\]/);
    assert.equal(r.citations.length, 1);
    assert.equal(r.citations[0]?.source, "kkr-syddanmark-dagsorden-2020-11-11.md");
    const sent = chatMessages(server.requestsTo("/chat/completions").at(-1)!);
    assert.ok(sent.some((m) => m.content.includes("Hvem repræsenterer Syddanmark i DEB?")));
  });

  test("a failing endpoint falls back to the extractive answer with a note", async () => {
    server.fallback = () => errorReply(500);
    const r = await kkr.ask("Hvem er formand for KKR Sjælland?");
    assert.equal(r.mode, "extractive");
    assert.match(r.answer, /Mikael Smed/);
    assert.ok(r.note && r.note.length > 0);
  });

  test("--mode extractive skips the model", async () => {
    const before = server.requests.length;
    const r = await kkr.ask("Hvem er formand for KKR Sjælland?", { mode: "extractive" });
    assert.equal(r.mode, "extractive");
    assert.equal(server.requests.length, before);
  });
});
