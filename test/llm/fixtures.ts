import { Writable } from "node:stream";
import pino from "pino";
import type { Answerer, AnswerInput, AnswerOutput, Passage } from "../../src/answer/types.js";
import type { Config } from "../../src/config.js";
import type { Logger } from "../../src/logger.js";
import { syncConfigFrom } from "../../src/sync/sync-config.js";
import type { Region } from "../../src/types.js";

/** Looks like a real key so redaction patterns are exercised too. */
export const SECRET_KEY = "sk-test-SECRET-0123456789abcdef";

export function llmConfig(baseURL: string, overrides: Partial<Config> = {}): Config {
  return {
    db: "unused",
    docsDir: "unused",
    docsDirExplicit: false,
    embedder: "openai",
    hashDim: 384,
    embedModel: "test-embed",
    embedDim: undefined,
    chatModel: "test-chat",
    answerMode: "llm",
    llmTimeoutMs: 5000,
    maxFileBytes: 1,
    parseTimeoutMs: 1000,
    pruneMaxShare: 0.2,
    pdfMaxMemoryMb: 1024,
    logLevel: "silent",
    logFormat: "json",
    rateLimitPerMin: 0,
    maxQuestionChars: 2000,
    openai: { apiKey: SECRET_KEY, baseURL },
    slack: { botToken: undefined, appToken: undefined, signingSecret: undefined, apiUrl: undefined, port: 0 },
    sync: syncConfigFrom({}),
    ...overrides,
  };
}

export function makePassage(
  n: number,
  text: string,
  meta: { title?: string; region?: Region | null; section?: string; source?: string } = {},
): Passage {
  const source = meta.source ?? `doc-${n}.md`;
  return {
    n,
    score: 1 / n,
    chunk: {
      id: `${source}:${n}`,
      docId: source,
      ordinal: n,
      section: meta.section ?? "2. Regionalpolitiske sager › 2.3 DK2020",
      item: "2.3",
      page: null,
      start: 0,
      end: text.length,
      text,
      source,
      title: meta.title ?? "Dagsorden KKR Syddanmark 11. november 2020",
      region: meta.region === undefined ? "Syddanmark" : meta.region,
      kind: "dagsorden",
      date: "2020-11-11",
      year: 2020,
      url: null,
      searchText: text,
    },
  };
}

export function makeInput(
  question: string,
  passages: Passage[],
  extra: Partial<AnswerInput> = {},
): AnswerInput {
  return {
    question,
    language: /\b(who|what|the)\b/i.test(question) ? "en" : "da",
    terms: [],
    passages,
    ...extra,
  };
}

/** A stand-in for the extractive answerer: fixed text, records its calls. */
export class FakeFallback implements Answerer {
  readonly mode = "extractive" as const;
  calls: AnswerInput[] = [];
  async answer(input: AnswerInput): Promise<AnswerOutput> {
    this.calls.push(input);
    return { answer: "EXTRACTIVE", abstained: false, mode: "extractive", citations: [] };
  }
}

/** A pino logger writing JSON lines into memory, at `level`. */
export function captureLogger(level = "trace"): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level }, stream), text: () => lines.join("") };
}
