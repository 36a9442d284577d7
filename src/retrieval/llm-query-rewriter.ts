import type OpenAI from "openai";
import { classifyError, describeApiError } from "../llm/openai-client.js";
import { type Logger, silentLogger } from "../logger.js";
import { loadPrompt } from "../prompts.js";
import type { Language } from "../types.js";

export interface LlmQueryRewriterOptions {
  client: OpenAI;
  model: string;
  logger?: Logger;
  /** Whole-call budget (default 4 s): the rewrite only helps, so it must never be slow. */
  timeoutMs?: number;
  /** Most terms returned (default 12). */
  maxTerms?: number;
}

const MAX_TERM_CHARS = 80;

/**
 * Asks the chat model for Danish search terms for a question (English questions over
 * Danish documents, pronouns resolved from the conversation). It is an optional boost:
 * any failure, slowness or unparseable reply gives [] and retrieval uses the offline
 * English→Danish term list instead.
 */
export class LlmQueryRewriter {
  readonly #client: OpenAI;
  readonly #model: string;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #maxTerms: number;

  constructor(options: LlmQueryRewriterOptions) {
    this.#client = options.client;
    this.#model = options.model;
    this.#logger = (options.logger ?? silentLogger).child({ component: "query-rewriter" });
    this.#timeoutMs = options.timeoutMs ?? 4000;
    this.#maxTerms = options.maxTerms ?? 12;
  }

  async rewrite(
    question: string,
    language: Language,
    history?: { question: string; answer?: string }[],
    signal?: AbortSignal,
  ): Promise<string[]> {
    const started = Date.now();
    try {
      const deadline = AbortSignal.timeout(this.#timeoutMs);
      const completion = await this.#client.chat.completions.create(
        {
          model: this.#model,
          messages: [
            { role: "system", content: loadPrompt("rewrite-query") },
            { role: "user", content: userMessage(question, language, history) },
          ],
          temperature: 0,
        },
        {
          signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
          timeout: this.#timeoutMs,
          // A retry would blow the budget; the offline term list is a fine fallback.
          maxRetries: 0,
        },
      );
      const terms = parseTerms(completion.choices?.[0]?.message?.content ?? "", this.#maxTerms);
      this.#logger.debug({ terms, ms: Date.now() - started }, "rewrote query");
      return terms;
    } catch (error) {
      this.#logger.warn(
        {
          model: this.#model,
          kind: classifyError(error),
          error: describeApiError(error, this.#client.apiKey ?? undefined),
          ms: Date.now() - started,
        },
        "query rewrite failed; using the offline term list",
      );
      return [];
    }
  }
}

function userMessage(
  question: string,
  language: Language,
  history?: { question: string; answer?: string }[],
): string {
  const earlier = (history ?? [])
    .slice(-3)
    .map((t) => `- ${t.question.replace(/\s+/g, " ").slice(0, 300)}`)
    .join("\n");
  return [
    `Question (${language === "da" ? "Danish" : "English"}):`,
    "<question>",
    question.replace(/<\/?question>/gi, ""),
    "</question>",
    earlier
      ? `Earlier questions in the conversation:\n<history>\n${earlier.replace(/<\/?history>/gi, "")}\n</history>`
      : "",
  ]
    .filter((s) => s !== "")
    .join("\n");
}

/**
 * Terms from the model's reply, defensively: accepts `{"terms": [...]}` (or `queries`,
 * `keywords`, `search_terms`), a bare JSON array, either inside a ```json fence or
 * surrounded by chatter. Anything else gives [].
 */
export function parseTerms(reply: string, maxTerms = 12): string[] {
  const value = extractJson(reply.replace(/<think>[\s\S]*?<\/think>/gi, ""));
  let list: unknown;
  if (Array.isArray(value)) list = value;
  else if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    list = obj.terms ?? obj.queries ?? obj.keywords ?? obj.search_terms ?? obj.søgeord;
  }
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of list) {
    if (typeof item !== "string") continue;
    // Control characters and runs of whitespace are noise to the search.
    const term = item
      .replace(/[\u0000-\u001f\u007f]+/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .normalize("NFC");
    if (term === "" || term.length > MAX_TERM_CHARS || !/[\p{L}\p{N}]/u.test(term)) continue;
    const key = term.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(term);
    if (out.length >= maxTerms) break;
  }
  return out;
}

function extractJson(text: string): unknown {
  const candidates: string[] = [];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fence?.[1]) candidates.push(fence[1]);
  candidates.push(text);
  for (const [open, close] of [
    ["{", "}"],
    ["[", "]"],
  ] as const) {
    const start = text.indexOf(open);
    const end = text.lastIndexOf(close);
    if (start >= 0 && end > start) candidates.push(text.slice(start, end + 1));
  }
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate.trim());
    } catch {
      // try the next shape
    }
  }
  return undefined;
}
