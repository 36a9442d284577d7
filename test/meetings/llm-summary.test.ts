import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { LLM_FAILED_NOTE, UNGROUNDED_NOTE } from "../../src/answer/llm-answerer.js";
import { createOpenAIClient } from "../../src/llm/openai-client.js";
import { type LlmSummaryOptions, type SummaryResult, summarizeRef } from "../../src/meetings/summary.js";
import { loadPrompt } from "../../src/prompts.js";
import type { KkrStore } from "../../src/store/store.js";
import { assertCitationsQuoteChunks } from "../helpers/index-fixture.js";
import {
  chatMessages,
  chatReply,
  defaultReply,
  errorReply,
  type OpenAITestServer,
  type RecordedRequest,
  startOpenAIServer,
} from "../helpers/openai-server.js";
import { indexCorpus } from "./corpus-index.js";

const REF = "KKR Syddanmark 11. november 2020";

let store: KkrStore;
let cleanup: () => Promise<void>;
let server: OpenAITestServer;
before(async () => {
  ({ store, cleanup } = await indexCorpus());
  server = await startOpenAIServer();
});
after(async () => {
  await server.close();
  await cleanup();
});
beforeEach(() => {
  server.requests.length = 0;
  server.fallback = defaultReply;
});

function llm(extra: Partial<LlmSummaryOptions> = {}): LlmSummaryOptions {
  const client = createOpenAIClient(
    { openai: { apiKey: "sk-test-0123456789", baseURL: server.baseURL }, llmTimeoutMs: 5000 },
    { maxRetries: 1 },
  );
  return { client, model: "test-chat", timeoutMs: 5000, maxBatchChars: 5000, ...extra };
}

/** The items a request asks for: "## 2.3: DK2020 … (passages 4, 5)". */
function requestedItems(req: RecordedRequest): { key: string; passages: number[] }[] {
  const user = chatMessages(req)[1]?.content ?? "";
  return [...user.matchAll(/^## (\S+): .* \(passages ([\d, -]+)\)$/gm)].map((m) => ({
    key: m[1] ?? "",
    passages: (m[2] ?? "").split(/,\s*/).map(Number).filter(Boolean),
  }));
}

/** A well-behaved model: per item a recommendation and a fact, cited to the item's passages. */
function modelReply(req: RecordedRequest) {
  const blocks = requestedItems(req).map(({ key, passages }) => {
    const [a = 1, b = a] = passages;
    // Item 5.1 gets only an invented citation, which must be dropped.
    if (key === "5.1") return `## ${key}\n- Intet at bemærke [99].`;
    return `## ${key}\n- Indstilling: KKR Syddanmark tager punktet til efterretning [${a}].\n- Modellens hovedpunkt om ${key} [${b}].\nUdenfor citation uden kilde.`;
  });
  return chatReply(`Her er resuméet:\n${blocks.join("\n\n")}`);
}

async function assertCitationsValid(r: SummaryResult) {
  await assertCitationsQuoteChunks(store, r.answer, r.citations);
}

describe("LLM meeting summary against a local OpenAI-compatible server", () => {
  test("map-reduce over items: several calls, item order and titles kept, citations checked", async () => {
    server.fallback = modelReply;
    const r = await summarizeRef(store, REF, { llm: llm(), detail: true });
    const calls = server.requestsTo("/chat/completions");
    assert.ok(calls.length >= 2, `map over batches, got ${calls.length} call(s)`);
    const asked = calls.flatMap((c) => requestedItems(c).map((i) => i.key));
    assert.deepEqual([...asked].sort(), [
      "1.1",
      "2.1",
      "2.2",
      "2.3",
      "2.4",
      "2.5",
      "3.1",
      "3.2",
      "4.1",
      "5.1",
    ]);
    for (const req of calls) {
      const [system, user] = chatMessages(req);
      assert.equal(system?.content, loadPrompt("summary.system"));
      assert.match(user?.content ?? "", /<passage n="1">/);
      assert.match(user?.content ?? "", /Language: Danish/);
      assert.match(user?.content ?? "", /KKR Syddanmark, 11 November 2020, Virtuelt via Teams/);
    }

    assert.equal(r.mode, "summary");
    assert.equal(r.method, "llm");
    const expectedOrder = ["1.1", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "4.1", "5.1"];
    assert.deepEqual(
      r.items.filter((i) => !i.group).map((i) => i.number),
      expectedOrder,
    );
    const item = (n: string) => r.items.find((i) => i.number === n)?.lines ?? [];
    assert.match(item("2.3")[0]?.text ?? "", /^2\.3 DK2020 og regional organisering \[\d+\]$/);
    assert.match(item("2.3")[2]?.text ?? "", /^ {2}- Modellens hovedpunkt om 2\.3 \[\d+\]\.$/);
    assert.equal(item("2.3")[1]?.kind, "recommendation");
    // Uncited lines are dropped; preamble outside blocks is ignored.
    assert.ok(!r.answer.includes("Udenfor citation"));
    assert.ok(!r.answer.includes("Her er resuméet"));
    // 5.1 cited nothing valid: its offline lines stay, and the note says so.
    assert.ok(!r.answer.includes("Intet at bemærke"));
    assert.match(r.note ?? "", /Nogle punkter/);
    await assertCitationsValid(r);
  });

  test("a 500 from the server falls back to the offline summary with a note", async () => {
    server.fallback = () => errorReply(500);
    const offline = await summarizeRef(store, REF, { detail: true });
    const r = await summarizeRef(store, REF, { llm: llm(), detail: true });
    assert.ok(server.requestsTo("/chat/completions").length >= 1);
    assert.equal(r.method, "extractive");
    assert.equal(r.note, LLM_FAILED_NOTE.da);
    assert.equal(r.answer, offline.answer);
    assert.deepEqual(r.citations, offline.citations);
  });

  test("answers citing nothing that was sent fall back as ungrounded", async () => {
    server.fallback = () => chatReply("## 2.3\n- Opdigtet faktum [42].\n- Endnu et [7-9]");
    const r = await summarizeRef(store, "the Sjælland meeting in September 2020", {
      llm: llm(),
      detail: true,
    });
    assert.equal(r.method, "extractive");
    assert.equal(r.note, `${UNGROUNDED_NOTE.en} The summary quotes the Danish documents.`);
    assert.ok(!r.answer.includes("Opdigtet"));
    await assertCitationsValid(r);
  });

  test("a newsletter-only meeting: one call, section keys, English output", async () => {
    server.enqueue((req) => {
      const keys = requestedItems(req);
      return chatReply(
        keys.map((k) => `## ${k.key}\n- The council backed the plan [${k.passages[0]}].`).join("\n"),
      );
    });
    const r = await summarizeRef(store, "the September 2020 meeting in Sjælland", {
      llm: llm({ maxBatchChars: 20_000 }),
      detail: true,
    });
    assert.equal(server.requestsTo("/chat/completions").length, 1);
    const user = chatMessages(server.requests[0]!)[1]?.content ?? "";
    assert.match(user, /## s1: /);
    assert.match(user, /Language: English/);
    assert.equal(r.method, "llm");
    assert.match(r.answer, /The council backed the plan \[\d+\]/);
    assert.ok(r.citations.every((c) => c.source === "kkr-sjaelland-nyhedsbrev-2020-09.txt"));
    await assertCitationsValid(r);
  });

  test("one-screen form: one call for a checked overall paragraph, then the offline item lines", async () => {
    server.fallback = (req) => {
      const user = chatMessages(req)[1]?.content ?? "";
      assert.match(user, /2\.3 DK2020 og regional organisering – Orientering/);
      // cite the passage that holds the amount, as a good model would
      const n = [...user.matchAll(/<passage n="(\d+)">([\s\S]*?)<\/passage>/g)].find((m) =>
        m[2]?.includes("3 mio. kr."),
      )?.[1];
      return chatReply(
        `KKR Syddanmark afsatte 3 mio. kr. til en klimakoordinator [${n}]. Mødet drøftede sundhed [99]. Ministeren kom på besøg.`,
      );
    };
    const offline = await summarizeRef(store, REF);
    const r = await summarizeRef(store, REF, { llm: llm({ maxBatchChars: 20_000 }) });
    const calls = server.requestsTo("/chat/completions");
    assert.equal(calls.length, 1);
    assert.equal(chatMessages(calls[0]!)[0]?.content, loadPrompt("summary.overview.system"));
    assert.equal(r.method, "llm");
    assert.equal(r.detail, false);
    const lines = r.answer.split("\n");
    assert.match(lines[2] ?? "", /^KKR Syddanmark afsatte 3 mio\. kr\. til en klimakoordinator \[3\]\.$/);
    // numbered in reading order: header [1][2], then the paragraph's quote
    // the invalid [99] and the uncited sentences never reach the summary
    assert.ok(
      !r.answer.includes("[99]") &&
        !r.answer.includes("drøftede sundhed") &&
        !r.answer.includes("Ministeren"),
    );
    assert.equal(lines.length, offline.answer.split("\n").length + 1);
    assert.ok(lines.length <= 15);
    await assertCitationsValid(r);
    assert.ok(r.citations[2]?.quote.includes("3 mio. kr."), r.citations[2]?.quote);
  });

  test("one-screen form: a failing model leaves the offline lines and a note", async () => {
    server.fallback = () => errorReply(500);
    const offline = await summarizeRef(store, REF);
    const r = await summarizeRef(store, REF, { llm: llm() });
    assert.equal(r.method, "extractive");
    assert.equal(r.answer, offline.answer);
    assert.equal(r.note, LLM_FAILED_NOTE.da);
  });

  test("mode llm without a client is a configuration error", async () => {
    await assert.rejects(summarizeRef(store, REF, { mode: "llm" }), /needs OPENAI_API_KEY/);
  });
});
