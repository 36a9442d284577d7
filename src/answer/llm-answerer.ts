import type OpenAI from "openai";
import { STOP_WORDS } from "../embed/stop-words.js";
import { classifyError, describeApiError } from "../llm/openai-client.js";
import { type Logger, silentLogger } from "../logger.js";
import { fillTemplate, loadPrompt } from "../prompts.js";
import type { Citation, Language } from "../types.js";
import { citationFor, MAX_QUOTE_CHARS } from "./citations.js";
import type { Answerer, AnswerInput, AnswerOutput, Passage } from "./types.js";

/** The fixed line the model is told to give, and the answer shown, when the passages don't hold it. */
export const ABSTAIN_LINE: Record<Language, string> = {
  da: "Jeg kunne ikke finde svaret i dokumenterne.",
  en: "I couldn't find that in the documents.",
};

/** Note on a fallback answer when the model failed (timeout, 429/5xx after retries, any error). */
export const LLM_FAILED_NOTE: Record<Language, string> = {
  da: "Sprogmodellen svarede ikke; her er et uddrag fra dokumenterne.",
  en: "The language model did not respond; here is an extract from the documents.",
};

/** Note on a fallback answer when the model answered but cited nothing that was sent. */
export const UNGROUNDED_NOTE: Record<Language, string> = {
  da: "Sprogmodellens svar henviste ikke til dokumenterne; her er et uddrag fra dokumenterne.",
  en: "The language model's answer cited no documents; here is an extract from the documents.",
};

export interface LlmAnswererOptions {
  client: OpenAI;
  /** Chat model (or Azure deployment) name, from KKR_CHAT_MODEL. */
  model: string;
  /** Used when the model fails or gives no grounded answer; normally the extractive answerer. */
  fallback: Answerer;
  logger?: Logger;
  /** Budget for the whole call, retries included (KKR_LLM_TIMEOUT_MS). */
  timeoutMs: number;
  /** Sampling temperature (default 0); null leaves it out, for models that only allow their default. */
  temperature?: number | null;
}

const HISTORY_TURNS = 3;
const HISTORY_ANSWER_CHARS = 600;

/**
 * Answers with a chat model from numbered passages, then checks the result: only [n]
 * markers that point at passages sent survive, each cited passage gets an exact quote,
 * and an answer citing nothing valid is not shown as grounded. Every failure falls back
 * to `fallback` with a note, so a flaky endpoint never costs the user an answer.
 */
export class LlmAnswerer implements Answerer {
  readonly mode = "llm" as const;
  readonly #client: OpenAI;
  readonly #model: string;
  readonly #fallback: Answerer;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #temperature: number | null;

  constructor(options: LlmAnswererOptions) {
    this.#client = options.client;
    this.#model = options.model;
    this.#fallback = options.fallback;
    this.#logger = (options.logger ?? silentLogger).child({ component: "llm-answerer" });
    this.#timeoutMs = options.timeoutMs;
    this.#temperature = options.temperature === undefined ? 0 : options.temperature;
  }

  async answer(input: AnswerInput, signal?: AbortSignal): Promise<AnswerOutput> {
    // Nothing to ground an answer in: the fallback abstains with the closest documents.
    if (input.passages.length === 0) return this.#fallback.answer(input, signal);

    let content: string;
    const started = Date.now();
    try {
      content = await this.#complete(input, signal);
    } catch (error) {
      // The user cancelled: stop, don't answer something else instead.
      if (signal?.aborted) throw error;
      this.#logger.warn(
        {
          model: this.#model,
          kind: classifyError(error),
          error: describeApiError(error, this.#client.apiKey ?? undefined),
          ms: Date.now() - started,
        },
        "LLM answer failed; falling back to the extractive answer",
      );
      return this.#fallBack(input, LLM_FAILED_NOTE[input.language], signal);
    }

    const result = checkAnswer(content, input);
    if (result.kind === "abstained") {
      return { answer: ABSTAIN_LINE[input.language], abstained: true, mode: "llm", citations: [] };
    }
    if (result.kind === "ungrounded") {
      this.#logger.info(
        { model: this.#model, dropped: result.dropped },
        "LLM answer cited no passage that was sent; falling back",
      );
      return this.#fallBack(input, UNGROUNDED_NOTE[input.language], signal);
    }
    if (result.dropped.length > 0) {
      this.#logger.info({ model: this.#model, dropped: result.dropped }, "dropped invalid citations");
    }
    return { answer: result.answer, abstained: false, mode: "llm", citations: result.citations };
  }

  async #complete(input: AnswerInput, signal?: AbortSignal): Promise<string> {
    const { system, user } = buildAnswerMessages(input);
    // One budget for the whole call: the client retries 429/5xx and timeouts on its own,
    // which without a deadline could keep a user waiting several timeouts long.
    const deadline = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const completion = await this.#client.chat.completions.create(
      {
        model: this.#model,
        messages: [
          { role: "system", content: system },
          { role: "user", content: user },
        ],
        ...(this.#temperature === null ? {} : { temperature: this.#temperature }),
      },
      { signal: combined, timeout: this.#timeoutMs },
    );
    const raw = completion.choices?.[0]?.message?.content ?? "";
    // Reasoning models served through Ollama/vLLM may prepend their scratchpad.
    const content = raw.replace(/<think>[\s\S]*?<\/think>/gi, "").trim();
    if (content === "") throw new Error("empty completion");
    return content;
  }

  async #fallBack(input: AnswerInput, note: string, signal?: AbortSignal): Promise<AnswerOutput> {
    const out = await this.#fallback.answer(input, signal);
    return { ...out, note: out.note ? `${note} ${out.note}` : note };
  }
}

/** The system prompt (unchanged prompt file) and the user message with delimited, numbered passages. */
export function buildAnswerMessages(input: AnswerInput): { system: string; user: string } {
  const system = loadPrompt("answer.system");
  const user = fillTemplate(loadPrompt("answer.user"), {
    question: neutralise(input.question.trim()),
    region: input.region ? (input.region === "all" ? "all five KKR" : `KKR ${input.region}`) : "not stated",
    history: formatHistory(input.history),
    passages: input.passages.map(formatPassage).join("\n\n"),
    language: input.language === "da" ? "Danish (dansk)" : "English",
    abstain: ABSTAIN_LINE[input.language],
  });
  return { system, user };
}

function formatPassage(p: Passage): string {
  const c = p.chunk;
  const meta = [
    `title: ${oneLine(c.title)}`,
    `region: ${c.region === null ? "unknown" : c.region === "all" ? "all five KKR" : `KKR ${c.region}`}`,
    `kind: ${c.kind}`,
    `date: ${c.date ?? "unknown"}`,
    c.section ? `section: ${oneLine(c.section)}` : null,
    c.item ? `agenda item: ${c.item}` : null,
    c.page !== null ? `page: ${c.page}` : null,
    `source: ${oneLine(c.source)}`,
  ].filter((line): line is string => line !== null);
  return `<passage n="${p.n}">\n${meta.map(neutralise).join("\n")}\ntext:\n${neutralise(c.text.trim())}\n</passage>`;
}

function formatHistory(history: AnswerInput["history"]): string {
  if (!history || history.length === 0) return "(none)";
  return history
    .slice(-HISTORY_TURNS)
    .map((turn) => {
      const q = `User: ${oneLine(turn.question)}`;
      if (!turn.answer) return q;
      const a = oneLine(turn.answer);
      return `${q}\nAssistant: ${a.length > HISTORY_ANSWER_CHARS ? `${a.slice(0, HISTORY_ANSWER_CHARS)}…` : a}`;
    })
    .map(neutralise)
    .join("\n");
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * Untrusted text must not be able to close or open our delimiters ("</passages> New
 * instructions: …"), so tag-like uses of our delimiter names get a look-alike bracket.
 */
function neutralise(text: string): string {
  return text.replace(/<(\/?\s*(?:passages?|question|history)\b)/gi, "‹$1");
}

// ---------------------------------------------------------------------------------------
// Checking the model's answer

export type CheckedAnswer =
  | { kind: "abstained" }
  | { kind: "ungrounded"; dropped: number[] }
  | { kind: "answered"; answer: string; citations: Citation[]; dropped: number[] };

/** `[3]`, `[1, 2]`, `[1; 2]`, `[1-3]`; `[1][2]` is two markers. */
const MARKER_RE = /([ \t]*)\[\s*(\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)\s*\]/g;

/** Parses and validates citations in a model answer against the passages that were sent. */
export function checkAnswer(content: string, input: AnswerInput): CheckedAnswer {
  if (isAbstention(content)) return { kind: "abstained" };
  const byN = new Map(input.passages.map((p) => [p.n, p]));
  // a claim whose every citation was invented is not grounded: it goes, and when that is
  // most of the answer, the whole answer is not trusted
  const kept = dropFalselyCited(content, byN);
  if (kept.claims > 0 && kept.droppedClaims * 2 > kept.claims) {
    return { kind: "ungrounded", dropped: cleanMarkers(content, byN).dropped };
  }
  const { dropped } = cleanMarkers(content, byN);
  const { text } = cleanMarkers(kept.text, byN);

  // Claim sentences per cited passage, for picking the quote.
  const claims = new Map<number, string[]>();
  for (const sentence of splitClaims(text)) {
    const ns = [...sentence.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    const claim = sentence.replace(/\[\d+\]/g, "").trim();
    for (const n of ns) {
      const list = claims.get(n) ?? [];
      list.push(claim);
      claims.set(n, list);
    }
  }
  if (claims.size === 0) return { kind: "ungrounded", dropped };

  const citations = [...claims.keys()]
    .sort((a, b) => a - b)
    .map((n) => {
      const passage = byN.get(n)!;
      return citationFor(passage, bestQuote(passage.chunk.text, claims.get(n) ?? []));
    });
  return { kind: "answered", answer: text, citations, dropped };
}

/** Passage numbers in a marker's list: "1, 2" → [1, 2]; "1-3" → [1, 2, 3]; a silly "1-999" → its ends. */
function markerNumbers(list: string): number[] {
  return list.split(/\s*[,;]\s*/).flatMap((part) => {
    const range = part.split(/\s*[–-]\s*/).map(Number);
    const [from, to] = [range[0] ?? 0, range[range.length - 1] ?? 0];
    return to >= from && to - from <= 10
      ? Array.from({ length: to - from + 1 }, (_, i) => from + i)
      : [from, to];
  });
}

/**
 * Drops the sentences (and list lines) whose citations all name passages that were never
 * sent — "… Beckmann [0][999]." would otherwise be shown as a claim with its markers gone.
 * Sentences without any marker (a lead-in, a heading) are left to the caller.
 */
export function dropFalselyCited(
  content: string,
  byN: ReadonlyMap<number, unknown>,
): { text: string; claims: number; droppedClaims: number } {
  let claims = 0;
  let droppedClaims = 0;
  const lines = content.split("\n").flatMap((line) => {
    const parts = line.split(/(?<=[.!?](?:[ \t]*\[[\d,;\s–-]*\])*)[ \t]+(?!\[)/);
    const kept = parts.filter((part) => {
      const markers = [...part.matchAll(MARKER_RE)];
      if (markers.length === 0) return true;
      claims++;
      if (markers.some((m) => markerNumbers(m[2] ?? "").some((n) => byN.has(n)))) return true;
      droppedClaims++;
      return false;
    });
    return kept.length === 0 && parts.some((p) => p.trim() !== "") ? [] : [kept.join(" ")];
  });
  return { text: lines.join("\n"), claims, droppedClaims };
}

/** Keeps markers that name sent passages (normalised to `[1][2]`), strips the rest. */
export function cleanMarkers(
  content: string,
  byN: ReadonlyMap<number, unknown>,
): { text: string; dropped: number[] } {
  const dropped = new Set<number>();
  const text = content.replace(MARKER_RE, (_whole, space: string, list: string) => {
    const ns: number[] = [];
    for (const n of markerNumbers(list)) {
      if (!byN.has(n)) dropped.add(n);
      else if (!ns.includes(n)) ns.push(n);
    }
    return ns.length === 0 ? "" : `${space}${ns.map((n) => `[${n}]`).join("")}`;
  });
  return {
    // Removing a marker can leave "word ." or doubled spaces behind, or glue the next
    // marker to the word ("DEB [9][1]" → "DEB[1]").
    text: text
      .replace(/([^\s\]])(\[\d+\])/g, "$1 $2")
      .replace(/[ \t]+([.,;:!?])/g, "$1")
      .replace(/[ \t]{2,}/g, " ")
      .trim(),
    dropped: [...dropped].sort((a, b) => a - b),
  };
}

/** True when the answer is (or opens with) one of the abstain lines, in either language. */
export function isAbstention(content: string): boolean {
  const norm = (s: string) =>
    s
      .replace(/\[[\d,;\s–-]*\]/g, "")
      .replace(/[’`]/g, "'")
      .replace(/[^\p{L}\p{N}' ]+/gu, " ")
      .replace(/\s+/g, " ")
      .trim()
      .toLowerCase();
  const text = norm(content);
  return Object.values(ABSTAIN_LINE).some((line) => text.startsWith(norm(line)));
}

/** Sentences or lines of an answer; markers after a full stop stay with their sentence. */
function splitClaims(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?](?:[ \t]*\[\d+\])*)[ \t]+(?!\[)/))
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

interface Span {
  start: number;
  end: number;
}

/**
 * The sentence (or line) of `text` that best overlaps the claims, as an exact substring.
 * When several claims pick different sentences close together, the quote spans them.
 */
export function bestQuote(text: string, claims: string[]): string {
  const spans = sentenceSpans(text);
  if (spans.length === 0) return text.slice(0, MAX_QUOTE_CHARS);
  const spanTokens = spans.map((s) => tokens(text.slice(s.start, s.end)));
  const picks: { span: Span; score: number }[] = [];
  for (const claim of claims) {
    const want = tokens(claim);
    let best: { span: Span; score: number } | undefined;
    spans.forEach((span, i) => {
      const have = spanTokens[i] ?? new Set<string>();
      let score = 0;
      for (const t of want) if (have.has(t)) score += /\d/.test(t) ? 2 : 1;
      // Prefer the tighter sentence when two share the same words.
      score /= Math.sqrt(Math.max(have.size, 4));
      if (score > 0 && (!best || score > best.score)) best = { span, score };
    });
    if (best) picks.push(best);
  }
  if (picks.length === 0) {
    const first = spans[0]!;
    return text.slice(first.start, first.end);
  }
  picks.sort((a, b) => b.score - a.score);
  const top = picks[0]!.span;
  const start = Math.min(...picks.map((p) => p.span.start));
  const end = Math.max(...picks.map((p) => p.span.end));
  return end - start <= MAX_QUOTE_CHARS ? text.slice(start, end) : text.slice(top.start, top.end);
}

/** Offsets of sentences and lines in `text`, trimmed, so slices are exact substrings. */
function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  // A sentence ends at . ! ? followed by space and a capital/digit/quote, or at a line break.
  const boundary = /(?<=[.!?])[ \t]+(?=[\p{Lu}\d"“«])|\n+/gu;
  let from = 0;
  const push = (start: number, end: number) => {
    let s = start;
    let e = end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s && /[\p{L}\p{N}]/u.test(text.slice(s, e))) spans.push({ start: s, end: e });
  };
  for (const m of text.matchAll(boundary)) {
    push(from, m.index);
    from = m.index + m[0].length;
  }
  push(from, text.length);
  return spans;
}

/** Content words, lower-cased, cut to a 6-letter stem so "formanden" meets "formand". */
function tokens(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (w.length < 2 || STOP_WORDS.has(w)) continue;
    out.add(w.length > 6 && !/\d/.test(w) ? w.slice(0, 6) : w);
  }
  return out;
}
