/**
 * Meeting summaries in the shape of an `ask` answer (mode "summary"), so every transport
 * renders them like one. By default the one-screen form: header (KKR, date, place,
 * documents), then one line per agenda item with its kind and the one fact that matters,
 * each cited; with an LLM a short checked paragraph on the whole meeting goes first.
 * `detail` gives the long form: every item with recommendation, decision and key facts,
 * every line cited [n] — offline from the document structure, or written per item by the
 * model and checked, falling back to the offline lines wherever the model fails.
 */
import type { AskResult } from "../answer/types.js";
import { KkrError } from "../errors.js";
import { type Logger, silentLogger } from "../logger.js";
import { type KkrStore, sqlIn } from "../store/store.js";
import type { Language } from "../types.js";
import type { ItemKind } from "./item-kind.js";
import type { LlmSummaryOptions } from "./llm-summary.js";
import type { Meeting } from "./meetings.js";
import { headerLines, offlineBlocks, titleLine } from "./offline-summary.js";
import { buildOutline, type MeetingOutline } from "./outline.js";
import { type MeetingInfo, meetingInfo, resolveMeeting } from "./resolve-ref.js";
import { compactBlocks, compactHeader } from "./short-summary.js";
import { CitationBook, type LineKind, type SummaryBlock, type SummaryLine } from "./summary-lines.js";

export type { LlmSummaryOptions } from "./llm-summary.js";

export interface SummaryOptions {
  /** Output language; summarizeRef defaults it to the reference's language. */
  language?: Language;
  /** "llm" needs `llm`; the default is "llm" when `llm` is given, else "extractive". */
  mode?: "extractive" | "llm";
  llm?: LlmSummaryOptions | null;
  logger?: Logger;
  signal?: AbortSignal;
  /** Shown as `question` in the result: the reference or the user's question. */
  question?: string;
  /** Today (YYYY-MM-DD): "the latest meeting" is the latest held by then. */
  today?: string;
  /** The long form (every item's recommendation, decision and facts) instead of one screen. */
  detail?: boolean;
}

export interface SummaryItem {
  number: string | null;
  title: string;
  group: boolean;
  /** Rendered lines (with [n] markers), title line first. */
  lines: { kind: LineKind; text: string }[];
  /** What kind of item it is, read from its recommendation/decision wording (one-screen form). */
  itemKind?: ItemKind | null;
}

/** An AskResult (mode "summary") plus the meeting and the items, for JSON and Slack. */
export interface SummaryResult extends AskResult {
  mode: "summary";
  /** Who wrote the item lines: the offline extractor or the model (with offline fallbacks). */
  method: "extractive" | "llm";
  /** The long form (`--detail`, "Show details") rather than the one-screen summary. */
  detail: boolean;
  meeting: MeetingInfo;
  items: SummaryItem[];
}

const NOTES = {
  partial: {
    da: "Nogle punkter er uddrag fra dokumenterne, fordi sprogmodellen ikke dækkede dem.",
    en: "Some items are extracts from the documents because the language model did not cover them.",
  },
  danishQuotes: {
    en: "The summary quotes the Danish documents.",
  },
  noOverview: {
    da: "Sprogmodellen gav ingen overblik med gyldige kildehenvisninger; punkterne er uddrag fra dokumenterne.",
    en: "The language model gave no overview with valid citations; the items are extracts from the documents.",
  },
} as const;

/** Resolves `ref` (MEETING_AMBIGUOUS / MEETING_NOT_FOUND when it can't) and summarises it. */
export async function summarizeRef(
  store: KkrStore,
  ref: string,
  options: SummaryOptions = {},
): Promise<SummaryResult> {
  const t0 = performance.now();
  const { meeting, ref: parsed } = await resolveMeeting(
    store,
    ref,
    options.today ? { today: options.today } : {},
  );
  const result = await summarizeMeeting(store, meeting, {
    ...options,
    language: options.language ?? parsed.language,
    question: options.question ?? ref,
  });
  result.timings_ms = {
    resolve: round(performance.now() - t0 - (result.timings_ms.total ?? 0)),
    ...result.timings_ms,
  };
  result.timings_ms.total = round(performance.now() - t0);
  return result;
}

export async function summarizeMeeting(
  store: KkrStore,
  meeting: Meeting,
  options: SummaryOptions = {},
): Promise<SummaryResult> {
  const t0 = performance.now();
  const lang = options.language ?? "da";
  const mode = options.mode ?? (options.llm ? "llm" : "extractive");
  if (mode === "llm" && !options.llm) {
    throw new KkrError("CONFIG_INVALID", "Summary mode llm needs OPENAI_API_KEY or OPENAI_BASE_URL.");
  }
  const ids = meeting.documents.map((d) => d.id);
  const chunks = ids.length > 0 ? await store.chunksWhere(sqlIn("docId", ids)) : [];
  const outline = buildOutline(meeting, chunks);
  const t1 = performance.now();

  const written = options.detail
    ? await detailedLines(outline, lang, mode, options)
    : await compactLines(outline, lang, mode, options);
  const { header, blocks, notes } = written;
  const method = written.method;
  if (lang === "en") notes.push(NOTES.danishQuotes.en);
  const t2 = performance.now();

  const { answer, citations, items } = assemble(header, blocks);
  return {
    question: options.question ?? meeting.id,
    answer,
    abstained: false,
    mode: "summary",
    method,
    detail: options.detail === true,
    language: lang,
    citations,
    closest: [],
    ...(notes.length > 0 ? { note: notes.join(" ") } : {}),
    meeting: meetingInfo(meeting),
    items,
    timings_ms: { load: round(t1 - t0), summarize: round(t2 - t1), total: round(performance.now() - t0) },
  };
}

/** Numbers the citations in reading order and writes the text. */
function assemble(header: SummaryLine[], blocks: (SummaryBlock & { itemKind?: ItemKind | null })[]) {
  const book = new CitationBook();
  const out: string[] = header.map((l) => book.render(l));
  const items: SummaryItem[] = [];
  for (const b of blocks) {
    const lines = b.lines.map((l) => ({ kind: l.kind, text: book.render(l) }));
    // A blank line before each top-level heading keeps long agendas readable.
    if (b.itemKind === undefined && (b.group || !b.number?.includes(".") || out.length === header.length)) {
      out.push("");
    }
    out.push(...lines.map((l) => l.text));
    items.push({
      number: b.number,
      title: b.title,
      group: b.group,
      lines,
      ...(b.itemKind !== undefined ? { itemKind: b.itemKind } : {}),
    });
  }
  return { answer: out.join("\n"), citations: book.citations, items };
}

interface WrittenSummary {
  header: SummaryLine[];
  blocks: (SummaryBlock & { itemKind?: ItemKind | null })[];
  method: SummaryResult["method"];
  notes: string[];
}

/** Today's long form: every item with recommendation, decision and facts (LLM: map over items). */
async function detailedLines(
  outline: MeetingOutline,
  lang: Language,
  mode: "extractive" | "llm",
  options: SummaryOptions,
): Promise<WrittenSummary> {
  const header = headerLines(outline, lang);
  const blocks = offlineBlocks(outline, lang);
  const notes: string[] = [];
  let method: SummaryResult["method"] = "extractive";
  if (mode === "llm" && options.llm) {
    // Loaded on demand: the openai client stays out of offline runs' start-up.
    const [{ llmSummaryLines }, { LLM_FAILED_NOTE, UNGROUNDED_NOTE }] = await Promise.all([
      import("./llm-summary.js"),
      import("../answer/llm-answerer.js"),
    ]);
    const llm = { ...options.llm, logger: options.llm.logger ?? options.logger ?? silentLogger };
    const outcome = await llmSummaryLines(outline, lang, llm, options.signal);
    for (const block of blocks) {
      const lines = outcome.lines.get(block.key);
      const entry = outline.entries.find((e) => e.key === block.key);
      if (lines && entry) block.lines = [titleLine(entry), ...lines];
    }
    if (outcome.lines.size > 0) {
      method = "llm";
      if (outcome.fallbackEntries > 0) notes.push(NOTES.partial[lang]);
    } else if (outcome.batches > 0) {
      notes.push(outcome.failedBatches > 0 ? LLM_FAILED_NOTE[lang] : UNGROUNDED_NOTE[lang]);
    }
  }
  return { header, blocks, method, notes };
}

/** The one-screen form; with an LLM, a checked paragraph on the whole meeting comes first. */
async function compactLines(
  outline: MeetingOutline,
  lang: Language,
  mode: "extractive" | "llm",
  options: SummaryOptions,
): Promise<WrittenSummary> {
  const header = compactHeader(outline, lang);
  const blocks = compactBlocks(outline, lang);
  const notes: string[] = [];
  let method: SummaryResult["method"] = "extractive";
  if (mode === "llm" && options.llm && blocks.length > 0) {
    const [{ llmOverview }, { LLM_FAILED_NOTE }] = await Promise.all([
      import("./llm-summary.js"),
      import("../answer/llm-answerer.js"),
    ]);
    const llm = { ...options.llm, logger: options.llm.logger ?? options.logger ?? silentLogger };
    // The model sees the item lines without their citation placeholders.
    const itemLines = blocks.map((b) => (b.lines[0]?.text ?? b.title).replace(/\s*\[#\d+\]/g, ""));
    const outcome = await llmOverview(outline, itemLines, lang, llm, options.signal);
    if (outcome.line) {
      method = "llm";
      header.push(outcome.line);
    } else notes.push(outcome.failed ? LLM_FAILED_NOTE[lang] : NOTES.noOverview[lang]);
  }
  return { header, blocks, method, notes };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
