/**
 * The LLM summary, map-reduce over items: the items are cut into batches that fit one
 * prompt (map: one call per batch, a few at a time), and the blocks are put back together
 * in item order under the offline header (reduce; deterministic, so order and titles are
 * never the model's to get wrong). Every line must cite a passage of its batch; lines that
 * don't are dropped, and an item left with nothing, or a batch whose call failed, gets its
 * offline lines instead.
 */
import type OpenAI from "openai";
import { bestQuote, cleanMarkers, isAbstention } from "../answer/llm-answerer.js";
import type { Passage } from "../answer/types.js";
import { classifyError, describeApiError } from "../llm/openai-client.js";
import { type Logger, silentLogger } from "../logger.js";
import { fillTemplate, loadPrompt } from "../prompts.js";
import type { Language } from "../types.js";
import { meetingName } from "./meetings.js";
import { INDENT } from "./offline-summary.js";
import type { MeetingOutline, OutlineEntry, Quote } from "./outline.js";
import { formatDate } from "./resolve-ref.js";
import { clip, type LineKind, type SummaryLine } from "./summary-lines.js";

export interface LlmSummaryOptions {
  client: OpenAI;
  /** Chat model (or Azure deployment), from KKR_CHAT_MODEL. */
  model: string;
  /** Budget per call, retries included (KKR_LLM_TIMEOUT_MS). */
  timeoutMs: number;
  /** Sampling temperature (default 0); null leaves it out. */
  temperature?: number | null;
  logger?: Logger;
  /** Passage characters per call; more items than fit are split over several calls. */
  maxBatchChars?: number;
  /** Calls in flight at once. */
  concurrency?: number;
}

export interface LlmSummaryOutcome {
  /** Content lines per entry key, for the entries the model covered with cited lines. */
  lines: Map<string, SummaryLine[]>;
  batches: number;
  failedBatches: number;
  /** Entries that fell back to their offline lines (model failed, skipped or cited nothing). */
  fallbackEntries: number;
  droppedLines: number;
}

const DEFAULT_BATCH_CHARS = 14_000;
const LABELS = {
  da: { recommendation: "Indstilling", decision: "Beslutning", language: "Danish (dansk)" },
  en: { recommendation: "Recommendation", decision: "Decision", language: "English" },
} as const;

/** Items worth a call: those with their own text (a group heading alone has none). */
function summarisable(e: OutlineEntry): boolean {
  return e.chunks.length > 0 && !(e.group && e.chunks.every((c) => c.text.trim().length < 200));
}

/** Consecutive entries whose passages fit `maxChars` (an oversized entry goes alone, trimmed). */
export function batchEntries(entries: OutlineEntry[], maxChars: number): OutlineEntry[][] {
  const batches: OutlineEntry[][] = [];
  let current: OutlineEntry[] = [];
  let size = 0;
  for (const e of entries.filter(summarisable)) {
    const chars = e.chunks.reduce((n, c) => n + c.text.length, 0);
    if (current.length > 0 && size + chars > maxChars) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(e);
    size += chars;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export async function llmSummaryLines(
  outline: MeetingOutline,
  lang: Language,
  options: LlmSummaryOptions,
  signal?: AbortSignal,
): Promise<LlmSummaryOutcome> {
  const logger = (options.logger ?? silentLogger).child({ component: "llm-summary" });
  const batches = batchEntries(outline.entries, options.maxBatchChars ?? DEFAULT_BATCH_CHARS);
  const outcome: LlmSummaryOutcome = {
    lines: new Map(),
    batches: batches.length,
    failedBatches: 0,
    fallbackEntries: 0,
    droppedLines: 0,
  };
  const runBatch = async (batch: OutlineEntry[], index: number) => {
    const passages = passagesFor(batch, options.maxBatchChars ?? DEFAULT_BATCH_CHARS);
    const started = Date.now();
    let content: string;
    try {
      content = await complete(
        options,
        buildMessages(outline, batch, passages, lang, index, batches.length),
        signal,
      );
    } catch (error) {
      if (signal?.aborted) throw error;
      outcome.failedBatches++;
      outcome.fallbackEntries += batch.length;
      logger.warn(
        {
          model: options.model,
          kind: classifyError(error),
          error: describeApiError(error, options.client.apiKey ?? undefined),
          ms: Date.now() - started,
          items: batch.map((e) => e.key),
        },
        "LLM summary call failed; using the offline lines for these items",
      );
      return;
    }
    if (isAbstention(content)) {
      outcome.fallbackEntries += batch.length;
      return;
    }
    const parsed = parseBlocks(content, batch, passages);
    outcome.droppedLines += parsed.dropped;
    for (const e of batch) {
      const lines = parsed.lines.get(e.key);
      if (lines && lines.length > 0) outcome.lines.set(e.key, lines);
      else outcome.fallbackEntries++;
    }
  };
  await pool(
    batches.map((b, i) => () => runBatch(b, i)),
    options.concurrency ?? 3,
  );
  if (outcome.droppedLines > 0)
    logger.info({ dropped: outcome.droppedLines }, "dropped uncited summary lines");
  return outcome;
}

/** The batch's chunks numbered 1..n; an item too long for one call keeps its first chunks. */
function passagesFor(batch: OutlineEntry[], maxChars: number): Passage[] {
  const out: Passage[] = [];
  let size = 0;
  for (const e of batch) {
    for (const c of e.chunks) {
      if (out.length > 0 && size + c.text.length > maxChars * 1.5) break;
      out.push({ n: out.length + 1, chunk: c, score: 0 });
      size += c.text.length;
    }
  }
  return out;
}

function buildMessages(
  outline: MeetingOutline,
  batch: OutlineEntry[],
  passages: Passage[],
  lang: Language,
  index: number,
  total: number,
): { system: string; user: string } {
  const m = outline.meeting;
  const byEntry = (e: OutlineEntry) =>
    passages.filter((p) => e.chunks.some((c) => c.id === p.chunk.id)).map((p) => p.n);
  const items = batch
    .map((e) => `## ${e.key}: ${oneLineSafe(e.title)} (passages ${byEntry(e).join(", ") || "-"})`)
    .join("\n");
  const user = fillTemplate(loadPrompt("summary.map"), {
    meeting: neutralise(
      `${meetingName(m)}, ${formatDate(m.date, "en")}${m.place ? `, ${m.place}` : ""} (${m.documents.map((d) => d.kind).join(", ")})`,
    ),
    part: total > 1 ? `This is part ${index + 1} of ${total} of the meeting.` : "",
    items: neutralise(items),
    recommendation: LABELS[lang].recommendation,
    decision: LABELS[lang].decision,
    passages: passages.map(formatPassage).join("\n\n"),
    language: LABELS[lang].language,
  });
  return { system: loadPrompt("summary.system"), user };
}

function formatPassage(p: Passage): string {
  const c = p.chunk;
  const meta = [
    `kind: ${c.kind}`,
    c.section ? `section: ${oneLineSafe(c.section)}` : null,
    c.item ? `agenda item: ${c.item}` : null,
    `source: ${oneLineSafe(c.source)}`,
  ].filter((l): l is string => l !== null);
  return `<passage n="${p.n}">\n${neutralise(meta.join("\n"))}\ntext:\n${neutralise(c.text.trim())}\n</passage>`;
}

const oneLineSafe = (s: string) => s.replace(/\s+/g, " ").trim();

/** Document text must not be able to close or open our delimiters. */
const neutralise = (text: string) => text.replace(/<(\/?\s*passages?\b)/gi, "‹$1");

async function complete(
  options: LlmSummaryOptions,
  messages: { system: string; user: string },
  signal?: AbortSignal,
): Promise<string> {
  // One budget per call, the client's own retries included.
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const temperature = options.temperature === undefined ? 0 : options.temperature;
  const completion = await options.client.chat.completions.create(
    {
      model: options.model,
      messages: [
        { role: "system", content: messages.system },
        { role: "user", content: messages.user },
      ],
      ...(temperature === null ? {} : { temperature }),
    },
    { signal: combined, timeout: options.timeoutMs },
  );
  const raw = completion.choices?.[0]?.message?.content ?? "";
  const content = raw.replace(/<think>[\s\S]*?<\/think>/gi, "").trim();
  if (content === "") throw new Error("empty completion");
  return content;
}

const KEY_LINE = /^\s*#{1,4}\s*(?:\*\*)?\s*([\p{L}\p{N}.]+?)\.?(?:\*\*)?(?:[\s:–-].*)?$/u;
const BULLET = /^\s*(?:[-•*▪]|\d{1,2}[.)])\s+/;

/** Splits the model's answer into blocks per item key and keeps the cited lines. */
export function parseBlocks(
  content: string,
  batch: OutlineEntry[],
  passages: Passage[],
): { lines: Map<string, SummaryLine[]>; dropped: number } {
  const byN = new Map(passages.map((p) => [p.n, p]));
  const keys = new Set(batch.map((e) => e.key));
  const lines = new Map<string, SummaryLine[]>();
  let current: string | null = null;
  let dropped = 0;
  for (const raw of content.split("\n")) {
    if (raw.trim() === "") continue;
    const key = KEY_LINE.exec(raw)?.[1];
    if (key !== undefined) {
      current = keys.has(key) ? key : null;
      continue;
    }
    if (current === null) continue;
    const { text } = cleanMarkers(raw.replace(BULLET, "").trim(), byN);
    const line = citedLine(text, byN);
    if (!line) {
      dropped++;
      continue;
    }
    const list = lines.get(current) ?? [];
    list.push(line);
    lines.set(current, list);
  }
  return { lines, dropped };
}

/** Replaces the batch-local [n] markers with placeholders for the quote each one backs. */
function citedLine(text: string, byN: Map<number, Passage>): SummaryLine | null {
  const claim = text.replace(/\[\d+\]/g, "").trim();
  if (!/\[\d+\]/.test(text) || claim.length < 3) return null;
  const quotes: Quote[] = [];
  const out = withPlaceholders(text, claim, byN, quotes, new Map());
  const kind: LineKind = /^(?:indstilling|recommendation)\b/i.test(claim)
    ? "recommendation"
    : /^(?:beslutning|decision)\b/i.test(claim)
      ? "decision"
      : "fact";
  return { kind, text: `${INDENT}${out.replace(/\s+/g, " ").trim()}`, quotes };
}

/**
 * `[n]` → `[#i]`, where quotes[i] is the sentence of passage n that best backs `claim`
 * (shared `quotes`/`indexOf` so one passage cited twice in a paragraph is one quote).
 */
function withPlaceholders(
  text: string,
  claim: string,
  byN: Map<number, Passage>,
  quotes: Quote[],
  indexOf: Map<number, number>,
): string {
  return text.replace(/\[(\d+)\]/g, (_whole, n: string) => {
    const p = byN.get(Number(n));
    if (!p) return "";
    let i = indexOf.get(p.n);
    if (i === undefined) {
      i = quotes.length;
      quotes.push(clip({ chunk: p.chunk, text: bestQuote(p.chunk.text, [claim]) }).quote);
      indexOf.set(p.n, i);
    }
    return `[#${i}]`;
  });
}

// ---- the overall paragraph of the one-screen summary ---------------------------------

export interface LlmOverviewOutcome {
  /** The checked paragraph (every sentence cited), or null when the model gave none. */
  line: SummaryLine | null;
  failed: boolean;
  droppedSentences: number;
}

/**
 * A short paragraph on the whole meeting, written by the model from the items' passages
 * (one call). Each sentence must cite a passage that was sent; sentences that don't are
 * dropped, and invalid [n] markers are removed before anything is shown.
 */
export async function llmOverview(
  outline: MeetingOutline,
  itemLines: string[],
  lang: Language,
  options: LlmSummaryOptions,
  signal?: AbortSignal,
): Promise<LlmOverviewOutcome> {
  const logger = (options.logger ?? silentLogger).child({ component: "llm-summary" });
  const entries = outline.entries.filter(summarisable);
  const passages = passagesFor(entries, options.maxBatchChars ?? DEFAULT_BATCH_CHARS);
  if (passages.length === 0) return { line: null, failed: false, droppedSentences: 0 };
  const m = outline.meeting;
  const user = fillTemplate(loadPrompt("summary.overview"), {
    meeting: neutralise(
      `${meetingName(m)}, ${formatDate(m.date, "en")}${m.place ? `, ${m.place}` : ""} (${m.documents.map((d) => d.kind).join(", ")})`,
    ),
    items: neutralise(itemLines.map(oneLineSafe).join("\n")),
    passages: passages.map(formatPassage).join("\n\n"),
    language: LABELS[lang].language,
  });
  const started = Date.now();
  let content: string;
  try {
    content = await complete(options, { system: loadPrompt("summary.overview.system"), user }, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    logger.warn(
      {
        model: options.model,
        kind: classifyError(error),
        error: describeApiError(error, options.client.apiKey ?? undefined),
        ms: Date.now() - started,
      },
      "LLM overview call failed; the summary has no overall paragraph",
    );
    return { line: null, failed: true, droppedSentences: 0 };
  }
  if (isAbstention(content)) return { line: null, failed: false, droppedSentences: 0 };
  return checkedParagraph(content, passages);
}

/** Keeps the sentences that cite a passage that was sent, with their quotes. */
export function checkedParagraph(content: string, passages: Passage[]): LlmOverviewOutcome {
  const byN = new Map(passages.map((p) => [p.n, p]));
  const flat = content
    .split("\n")
    .map((l) => l.replace(BULLET, "").trim())
    .filter((l) => l !== "" && !KEY_LINE.test(l))
    .join(" ");
  const { text } = cleanMarkers(flat, byN);
  const quotes: Quote[] = [];
  const indexOf = new Map<number, number>();
  const kept: string[] = [];
  let dropped = 0;
  for (const sentence of text.split(/(?<=[.!?])\s+(?=\p{Lu})/u)) {
    const claim = sentence.replace(/\[\d+\]/g, "").trim();
    if (!/\[\d+\]/.test(sentence) || claim.length < 3) {
      if (sentence.trim() !== "") dropped++;
      continue;
    }
    kept.push(withPlaceholders(sentence, claim, byN, quotes, indexOf).replace(/\s+/g, " ").trim());
  }
  return {
    line: kept.length > 0 ? { kind: "text", text: kept.join(" "), quotes } : null,
    failed: false,
    droppedSentences: dropped,
  };
}

async function pool(tasks: (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task) await task();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker));
}
