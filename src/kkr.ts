import { createHash } from "node:crypto";
import { realpath } from "node:fs/promises";
import { basename, isAbsolute, join } from "node:path";
import { ABSTAIN, ExtractiveAnswerer } from "./answer/extractive-answerer.js";
import { outlineAnswer } from "./answer/outline-answer.js";
import type { Answerer, AskResult, FindHit, Passage } from "./answer/types.js";
import { type Config, llmConfigured } from "./config.js";
import { createEmbedder } from "./embed/create-embedder.js";
import type { Embedder } from "./embed/embedder.js";
import { isKkrError, KkrError } from "./errors.js";
import { OutsideFolderError, readFileInside, realPathInside } from "./files/inside-folder.js";
import { type Logger, silentLogger } from "./logger.js";
import { parseMeetingRef } from "./meetings/resolve-ref.js";
import { type LlmSummaryOptions, type SummaryResult, summarizeRef } from "./meetings/summary.js";
import { detectSummaryRequest } from "./meetings/summary-intent.js";
import { indexOverview } from "./overview.js";
import { detectLanguage } from "./retrieval/language.js";
import { inheritContext, splitQuestion } from "./retrieval/multi-part.js";
import { analyzeQuery, mergeFollowUp, type QueryAnalysis } from "./retrieval/query.js";
import { hybridSearch, type SearchFilters } from "./retrieval/search.js";
import type {
  ChannelSetting,
  CoreAskOptions,
  FeedbackRecord,
  IndexOverview,
  KkrAnswer,
  KkrService,
  SourceFile,
  SourceFileContent,
  SummaryRequestOptions,
} from "./service.js";
import { SCHEMA_VERSION } from "./store/schema.js";
import { KkrStore } from "./store/store.js";
import { parseRegion } from "./text/regions.js";
import { sanitizeQuestion } from "./text/sanitize.js";
import type { Citation, GlossaryEntry, Language, Region } from "./types.js";

export interface KkrDeps {
  logger?: Logger;
  fetch?: typeof fetch;
  now?: () => Date;
  /** Injected answerers/rewriter (tests); otherwise chosen from config. */
  llmAnswerer?: Answerer | null;
  rewriter?: {
    rewrite(q: string, lang: Language, history?: { question: string }[]): Promise<string[]>;
  } | null;
  /** An open store to answer from (serve shares its writer's connection); the caller closes it. */
  store?: KkrStore;
}

const GLOSSARY_TTL_MS = 30_000;

/** Longest wait for a query's embedding (capped by KKR_LLM_TIMEOUT_MS). */
const QUERY_EMBED_BUDGET_MS = 5_000;

/** Note on an answer found by keywords alone because the query could not be embedded. */
export const KEYWORDS_ONLY_NOTE: Record<Language, string> = {
  da: "Søgningen brugte kun nøgleord, fordi embedding-tjenesten ikke svarede brugbart.",
  en: "The search used keywords only, because the embedding service gave no usable answer.",
};

/** Checks the index was built by this embedder; a mismatch would return garbage neighbours. */
export async function checkIndex(store: KkrStore, embedder: Embedder): Promise<void> {
  const meta = await store.readMeta();
  if (!meta) {
    throw new KkrError(
      "INDEX_EMPTY",
      `The index at ${store.uri} is empty. Run \`kkr ingest DIR\` to add documents.`,
    );
  }
  if (meta.schemaVersion !== SCHEMA_VERSION) {
    throw new KkrError(
      "EMBEDDER_MISMATCH",
      `The index at ${store.uri} has an older layout (v${meta.schemaVersion}). Re-run \`kkr ingest --rebuild\`.`,
    );
  }
  if (meta.embedderId !== embedder.id) {
    throw new KkrError(
      "EMBEDDER_MISMATCH",
      `The index at ${store.uri} was built with embedder ${meta.embedderId}, but ${embedder.id} is configured. ` +
        "Re-run `kkr ingest --rebuild`, or configure the embedder the index was built with (KKR_EMBEDDER).",
    );
  }
}

/** The core behind the CLI, the console chat and the Slack bot. */
export class Kkr implements KkrService {
  private glossaryCache: { at: number; entries: GlossaryEntry[] } | null = null;
  private readonly extractive = new ExtractiveAnswerer();

  private constructor(
    readonly config: Config,
    readonly store: KkrStore,
    readonly embedder: Embedder,
    private readonly llm: Answerer | null,
    private readonly rewriter: KkrDeps["rewriter"],
    private readonly summaryLlm: LlmSummaryOptions | null,
    private readonly logger: Logger,
    private readonly now: () => Date,
    private readonly ownsStore = true,
  ) {}

  static async open(config: Config, deps: KkrDeps = {}): Promise<Kkr> {
    const logger = deps.logger ?? silentLogger;
    const store = deps.store ?? (await KkrStore.open(config.db, { store: config.store }));
    const owned = deps.store === undefined;
    try {
      const embedder = await createEmbedder(config, { fetch: deps.fetch, logger });
      await checkIndex(store, embedder);
      let llm = deps.llmAnswerer ?? null;
      let rewriter = deps.rewriter ?? null;
      let summaryLlm: LlmSummaryOptions | null = null;
      if (deps.llmAnswerer === undefined && config.answerMode !== "extractive" && llmConfigured(config)) {
        const wired = await wireLlm(config, { fetch: deps.fetch, logger });
        llm = wired.answerer;
        rewriter = deps.rewriter === undefined ? wired.rewriter : rewriter;
        summaryLlm = {
          client: wired.client,
          model: config.chatModel,
          timeoutMs: config.llmTimeoutMs,
          logger,
        };
      }
      return new Kkr(
        config,
        store,
        embedder,
        llm,
        rewriter,
        summaryLlm,
        logger,
        deps.now ?? (() => new Date()),
        owned,
      );
    } catch (error) {
      if (owned) store.close();
      throw error;
    }
  }

  /**
   * The query embedding gets a small share of the answer budget: a failing or hanging
   * embeddings endpoint must cost a question seconds, not the 17–34 s of its retries; the
   * search then runs on BM25 alone (logged, and noted on answers).
   */
  private searchBudget(signal?: AbortSignal): { embedTimeoutMs: number; signal?: AbortSignal } {
    return {
      embedTimeoutMs: Math.min(this.config.llmTimeoutMs, QUERY_EMBED_BUDGET_MS),
      ...(signal ? { signal } : {}),
    };
  }

  /** An index that exists but holds nothing can't answer: say how to fill it. */
  private async requireContent(): Promise<void> {
    if ((await this.store.chunkCount()) === 0) {
      throw new KkrError(
        "INDEX_EMPTY",
        `The index at ${this.store.uri} holds no documents. Run \`kkr ingest DIR\` with a folder of PDF, text, markdown or HTML files.`,
      );
    }
  }

  language(text: string): Language {
    return detectLanguage(text);
  }

  private async glossary(): Promise<GlossaryEntry[]> {
    const now = Date.now();
    if (!this.glossaryCache || now - this.glossaryCache.at > GLOSSARY_TTL_MS) {
      this.glossaryCache = { at: now, entries: await this.store.glossary() };
    }
    return this.glossaryCache.entries;
  }

  /** Every entry (ask, find, summary) starts here: cleaned of invisible characters, then checked. */
  validateQuestion(question: string): string {
    const q = sanitizeQuestion(question ?? "");
    if (q === "" || !/[\p{L}\p{N}]/u.test(q)) {
      throw new KkrError(
        "QUESTION_EMPTY",
        "Please ask a question in words, e.g. “Hvem er formand for KKR Sjælland?”.",
      );
    }
    if (q.length > this.config.maxQuestionChars) {
      throw new KkrError(
        "QUESTION_TOO_LONG",
        `The question is ${q.length} characters; the limit is ${this.config.maxQuestionChars} (KKR_MAX_QUESTION_CHARS). Please shorten it.`,
      );
    }
    return q;
  }

  async analyze(question: string, history: { question: string }[] = []): Promise<QueryAnalysis> {
    const glossary = await this.glossary();
    // Read the conversation forward: each elliptical follow-up ("og næstformanden?", "og i
    // Syddanmark?") builds on what came before; a self-contained question starts afresh.
    let context: QueryAnalysis | null = null;
    for (const h of history.slice(-5)) {
      const a = analyzeQuery(sanitizeQuestion(h.question), { glossary });
      context = context ? mergeFollowUp(context, a) : a;
    }
    let analysis = analyzeQuery(question, { glossary });
    if (context) analysis = mergeFollowUp(context, analysis);
    if (this.rewriter && analysis.language === "en") {
      const rewrites = await this.rewriter.rewrite(question, analysis.language, history).catch(() => []);
      if (rewrites.length > 0) analysis = withRewrites(analysis, rewrites);
    }
    return analysis;
  }

  async ask(question: string, options: CoreAskOptions = {}): Promise<KkrAnswer> {
    const t0 = performance.now();
    const q = this.validateQuestion(question);
    await this.requireContent();
    // "opsummer mødet i KKR Syddanmark i november 2020" is a summary, not a lookup
    const summaryRequest = detectSummaryRequest(q);
    if (summaryRequest) return this.summaryAnswer(q, summaryRequest.ref, options);
    const mode =
      options.mode ?? (this.config.answerMode === "extractive" || !this.llm ? "extractive" : "llm");
    // "Hvor og hvornår …", "Hvem …, og hvem …?": offline, each part is answered on its own
    const parts = splitQuestion(q);
    if (parts.length > 1 && mode === "extractive" && !(options.history?.length ?? 0))
      return this.askInParts(q, parts, options, t0);
    const { analysis, passages, timings, t1, defaultRegion, vectorProblem } = await this.retrieve(q, options);
    const t2 = performance.now();
    const input = {
      question: q,
      language: analysis.language,
      terms: analysis.terms,
      passages,
      history: options.history ?? [],
      region: analysis.region,
      analysis,
    };
    if (mode === "llm" && !this.llm) {
      throw new KkrError("CONFIG_INVALID", "Answer mode llm needs OPENAI_API_KEY or OPENAI_BASE_URL.");
    }
    const answerer = mode === "llm" && this.llm ? this.llm : this.extractive;
    let out = passages.length
      ? await answerer.answer(input, options.signal)
      : { answer: ABSTAIN[analysis.language], abstained: true, mode: answerer.mode, citations: [] };
    // a list the document gives as numbered sub-sections rather than bullets
    if (
      answerer === this.extractive &&
      analysis.type === "list" &&
      (out.abstained || !/\n> .*\n> /.test(out.answer))
    ) {
      out = (await outlineAnswer(this.store, analysis, passages)) ?? out;
    }
    const t3 = performance.now();
    const closest = out.abstained ? this.closestDocuments(passages, out.citations[0]) : [];
    let answer = out.answer;
    if (out.abstained) answer = await this.explainAbstain(answer, analysis, closest);
    const note = [out.note, vectorProblem === null ? null : KEYWORDS_ONLY_NOTE[analysis.language]]
      .filter(Boolean)
      .join(" ");
    return {
      question: q,
      answer,
      abstained: out.abstained,
      mode: out.mode,
      language: analysis.language,
      citations: out.citations,
      closest,
      ...(note ? { note } : {}),
      ...(defaultRegion ? { defaultRegion } : {}),
      timings_ms: round({
        analyze: t1 - t0,
        ...timings,
        retrieve: t2 - t1,
        answer: t3 - t2,
        total: performance.now() - t0,
      }),
    };
  }

  /**
   * Each part of a two-part question answered on its own, later parts inheriting the first
   * part's region and names; the answers are joined with their citations renumbered, and a
   * part the documents don't answer is said to be not found.
   */
  private async askInParts(
    q: string,
    parts: string[],
    options: CoreAskOptions,
    t0: number,
  ): Promise<AskResult> {
    const first = await this.analyze(parts[0]!);
    const lang = first.language;
    const answers: string[] = [];
    const citations: Citation[] = [];
    const missing: string[] = [];
    let firstPassages: Passage[] = [];
    for (const [i, part] of parts.entries()) {
      const analysis = i === 0 ? first : inheritContext(first, await this.analyze(part));
      const { passages } = await this.retrieve(part, options, analysis);
      if (i === 0) firstPassages = passages;
      const out = passages.length
        ? await this.extractive.answer({
            question: part,
            language: lang,
            terms: analysis.terms,
            passages,
            analysis,
          })
        : null;
      if (!out || out.abstained) {
        missing.push(part);
        continue;
      }
      const offset = citations.length;
      answers.push(out.answer.replace(/\[(\d+)\]/g, (_, n) => `[${Number(n) + offset}]`));
      citations.push(...out.citations.map((c) => ({ ...c, n: c.n + offset })));
    }
    const notFound = missing.map((m) => `${lang === "da" ? "Ikke fundet" : "Not found"}: «${m}»`);
    const abstained = answers.length === 0;
    const closest = abstained ? this.closestDocuments(firstPassages) : [];
    const answer = abstained
      ? await this.explainAbstain(ABSTAIN[lang], first, closest)
      : [...answers, ...(notFound.length ? [notFound.join("\n")] : [])].join("\n\n");
    return {
      question: q,
      answer,
      abstained,
      mode: "extractive",
      language: lang,
      citations,
      closest,
      timings_ms: round({ total: performance.now() - t0 }),
    };
  }

  /** Question analysis and the numbered passages an answerer gets (also used by the fitting script). */
  async retrieve(
    q: string,
    options: CoreAskOptions = {},
    prepared?: QueryAnalysis,
  ): Promise<{
    analysis: QueryAnalysis;
    passages: Passage[];
    timings: Record<string, number>;
    t1: number;
    defaultRegion: Region | null;
    vectorProblem: string | null;
  }> {
    const asked = prepared ?? (await this.analyze(q, options.history ?? []));
    // a channel's default region applies when the question names none
    const defaultRegion = regionToApply(asked, options.defaultRegion);
    const analysis = defaultRegion ? withRegion(asked, defaultRegion) : asked;
    const t1 = performance.now();
    const filters: SearchFilters = {
      ...(options.region ? { region: options.region } : {}),
      ...(options.since ? { since: options.since } : {}),
      ...(options.until ? { until: options.until } : {}),
      ...(options.kind ? { kind: options.kind } : {}),
    };
    const k = options.k ?? 10;
    const { hits, timings, vectorProblem } = await hybridSearch(this.store, this.embedder, analysis, {
      k,
      filters,
      ...this.searchBudget(options.signal),
    });
    if (vectorProblem)
      this.logger.warn({ problem: vectorProblem }, "query not embedded; searched by keywords only");
    const passages: Passage[] = hits.map((h, i) => ({ n: i + 1, chunk: h.chunk, score: h.score }));
    return { analysis, passages, timings, t1, defaultRegion, vectorProblem };
  }

  /**
   * A meeting summary. `mode` defaults to the configured answer mode; without an LLM
   * it is built offline from the documents' structure.
   */
  async summary(ref: string, options: SummaryRequestOptions = {}): Promise<SummaryResult> {
    let r = this.validateQuestion(ref);
    // A channel's default region completes a reference that names none ("seneste møde").
    if (options.defaultRegion && parseMeetingRef(r).regions.length === 0 && !parseMeetingRef(r).id) {
      r = `${r} KKR ${options.defaultRegion}`;
    }
    const mode =
      options.mode ?? (this.summaryLlm && this.config.answerMode !== "extractive" ? "llm" : "extractive");
    if (mode === "llm" && !this.summaryLlm) {
      throw new KkrError("CONFIG_INVALID", "Summary mode llm needs OPENAI_API_KEY or OPENAI_BASE_URL.");
    }
    return summarizeRef(this.store, r, {
      mode,
      today: this.now().toISOString().slice(0, 10),
      llm: this.summaryLlm,
      logger: this.logger,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.question ? { question: options.question } : {}),
      ...(options.detail ? { detail: true } : {}),
      ...(options.language ? { language: options.language } : {}),
    });
  }

  /** `ask` routed to a summary; an unknown or ambiguous meeting is answered, not thrown. */
  private async summaryAnswer(question: string, ref: string, options: CoreAskOptions): Promise<AskResult> {
    try {
      return await this.summary(ref, {
        question,
        ...(options.mode ? { mode: options.mode } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.defaultRegion ? { defaultRegion: options.defaultRegion } : {}),
      });
    } catch (error) {
      if (!isKkrError(error, "MEETING_AMBIGUOUS") && !isKkrError(error, "MEETING_NOT_FOUND")) throw error;
      return {
        question,
        answer: error.message,
        abstained: true,
        mode: "summary",
        language: detectLanguage(question),
        citations: [],
        closest: [],
        timings_ms: {},
      };
    }
  }

  /** The nearest documents; the closest passage (quoted by a decline) comes first, with its quote. */
  private closestDocuments(passages: Passage[], nearest?: Citation): AskResult["closest"] {
    const seen = new Set<string>();
    const out: AskResult["closest"] = [];
    if (nearest) {
      const c = passages.find((p) => p.chunk.id === nearest.chunkId)?.chunk;
      if (c) {
        seen.add(c.docId);
        out.push({
          source: c.source,
          title: c.title,
          url: c.url,
          date: c.date,
          quote: nearest.quote,
          section: nearest.section,
        });
      }
    }
    for (const p of passages) {
      if (seen.has(p.chunk.docId)) continue;
      seen.add(p.chunk.docId);
      out.push({ source: p.chunk.source, title: p.chunk.title, url: p.chunk.url, date: p.chunk.date });
      if (out.length >= 3) break;
    }
    return out;
  }

  /** Says why, when the reason is that the asked-about region isn't in the index at all. */
  private async explainAbstain(
    answer: string,
    a: QueryAnalysis,
    closest: AskResult["closest"],
  ): Promise<string> {
    const lines = [answer];
    if (closest.length > 0 && closest[0]?.quote) lines.push("");
    if (a.region) {
      if ((await this.store.countDocuments(`region = '${a.region}'`)) === 0) {
        lines.push(
          a.language === "da"
            ? `Der er ingen dokumenter fra KKR ${a.region} i indekset.`
            : `The index holds no documents from KKR ${a.region}.`,
        );
      }
    }
    if (closest.length > 0) {
      lines.push(a.language === "da" ? "Nærmeste dokumenter:" : "Closest documents:");
      for (const c of closest) lines.push(`- ${c.title} (${c.source})${c.url ? ` ${c.url}` : ""}`);
    }
    return lines.join("\n");
  }

  /** Distinct documents in retrieval order, as `ask` sees them (for evaluation). */
  async retrieveDocuments(question: string, k = 10): Promise<string[]> {
    const analysis = await this.analyze(this.validateQuestion(question));
    const { hits } = await hybridSearch(this.store, this.embedder, analysis, {
      k: k * 3,
      ...this.searchBudget(),
    });
    return [...new Set(hits.map((h) => h.chunk.source))].slice(0, k);
  }

  async find(
    query: string,
    options: { k?: number; signal?: AbortSignal; defaultRegion?: Region | null } = {},
  ): Promise<FindHit[]> {
    const q = this.validateQuestion(query);
    await this.requireContent();
    const asked = await this.analyze(q);
    const defaultRegion = regionToApply(asked, options.defaultRegion);
    const analysis = defaultRegion ? withRegion(asked, defaultRegion) : asked;
    const { hits } = await hybridSearch(this.store, this.embedder, analysis, {
      k: 40,
      perDocDecay: 1,
      candidates: 80,
      ...this.searchBudget(options.signal),
    });
    const byDoc = new Map<string, FindHit>();
    for (const h of hits) {
      const c = h.chunk;
      const existing = byDoc.get(c.docId);
      if (existing) {
        existing.score += h.score * 0.3; // more matching passages, a little more relevant
        continue;
      }
      byDoc.set(c.docId, {
        docId: c.docId,
        source: c.source,
        title: c.title,
        kind: c.kind,
        region: c.region,
        date: c.date,
        url: c.url,
        score: h.score,
        snippet: snippet(c.text, analysis.terms),
        section: c.section,
      });
    }
    // Finding a document, the words that describe it ("Sjælland newsletter", "dagsorden
    // november 2020") matter more than in a question about its content.
    for (const d of byDoc.values()) {
      if (analysis.kinds.length > 0) d.score *= analysis.kinds.includes(d.kind) ? 2 : 0.7;
      if (analysis.region) d.score *= d.region === analysis.region ? 1.5 : d.region === "all" ? 1 : 0.6;
      if (analysis.dates.length > 0)
        d.score *= analysis.dates.some((x) => d.date?.startsWith(x.iso)) ? 1.5 : 1;
    }
    return [...byDoc.values()].sort((a, b) => b.score - a.score).slice(0, options.k ?? 10);
  }

  async recordFeedback(f: FeedbackRecord): Promise<void> {
    await this.store.addFeedback({
      id: `${f.at}:${f.user}:${Math.random().toString(36).slice(2, 8)}`,
      at: f.at,
      user: f.user,
      vote: f.vote,
      question: f.question,
      answer: f.answer,
      citations: JSON.stringify(f.citations),
      channel: f.channel ?? null,
      ts: f.ts ?? null,
    });
  }

  async channelDefault(channel: string): Promise<ChannelSetting | null> {
    const row = await this.store.channelSetting(channel);
    const region = row ? parseRegion(row.region) : null;
    return row && region ? { channel, region, setBy: row.setBy, setAt: row.setAt } : null;
  }

  async setChannelDefault(channel: string, region: Region | null, setBy: string): Promise<void> {
    await this.store.setChannelSetting(
      channel,
      region ? { region, setBy, setAt: this.now().toISOString() } : null,
    );
  }

  overview(): Promise<IndexOverview> {
    return indexOverview(this.store);
  }

  /** The indexed document and where its file is, if that is still inside the documents folder. */
  private async locate(source: string) {
    const docs = await this.store.listDocuments(`source = '${source.replaceAll("'", "''")}'`);
    const doc = docs[0];
    if (!doc) return null;
    const meta = await this.store.readMeta();
    const dir = meta?.docsDir ?? null;
    const path = dir && !isAbsolute(doc.source) ? join(dir, doc.source) : null;
    const rootReal = dir ? await realpath(dir).catch(() => null) : null;
    const real = path && rootReal ? await realPathInside(rootReal, path) : null;
    return { doc, path, rootReal, real };
  }

  async sourceFile(source: string): Promise<SourceFile | null> {
    const found = await this.locate(source);
    if (!found) return null;
    const { doc, real } = found;
    return { source: doc.source, title: doc.title, url: doc.url, path: real };
  }

  async readSourceFile(source: string): Promise<SourceFileContent> {
    const found = await this.locate(source);
    if (!found?.path || !found.rootReal) return { ok: false, reason: "missing" };
    let bytes: Buffer;
    try {
      bytes = await readFileInside(found.rootReal, found.path);
    } catch (error) {
      if (error instanceof OutsideFolderError) return this.refuse(source, "outside");
      return { ok: false, reason: "missing" };
    }
    const hash = createHash("sha256").update(bytes).digest("hex");
    if (hash !== found.doc.contentHash) return this.refuse(source, "changed");
    return {
      ok: true,
      source: found.doc.source,
      title: found.doc.title,
      fileName: basename(found.path),
      bytes,
    };
  }

  private refuse(source: string, reason: "outside" | "changed"): SourceFileContent {
    this.logger.warn({ source, reason }, "refused to share a file that is not the indexed document");
    return { ok: false, reason };
  }

  async close(): Promise<void> {
    if (this.ownsStore) this.store.close();
  }
}

/** The default region, when the question (and its conversation) names none. */
function regionToApply(a: QueryAnalysis, region: Region | null | undefined): Region | null {
  return region && a.regions.length === 0 ? region : null;
}

/** The analysis of the question as if it had named `region` (soft preference and region check). */
function withRegion(a: QueryAnalysis, region: Region): QueryAnalysis {
  return { ...a, regions: [region], region };
}

function withRewrites(a: QueryAnalysis, rewrites: string[]): QueryAnalysis {
  const extra = rewrites.flatMap((r) => r.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  return {
    ...a,
    expansions: [...new Set([...a.expansions, ...rewrites])],
    terms: [...new Set([...a.terms, ...extra])],
    embedText: `${a.embedText} ${rewrites.join(" ")}`,
    ftsQuery: [...new Set([...a.ftsQuery.split(" "), ...extra])].join(" "),
  };
}

async function wireLlm(config: Config, deps: { fetch?: typeof fetch; logger: Logger }) {
  const [{ createOpenAIClient }, { LlmAnswerer }, { LlmQueryRewriter }] = await Promise.all([
    import("./llm/openai-client.js"),
    import("./answer/llm-answerer.js"),
    import("./retrieval/llm-query-rewriter.js"),
  ]);
  const client = createOpenAIClient(config, deps);
  const answerer = new LlmAnswerer({
    client,
    model: config.chatModel,
    fallback: new ExtractiveAnswerer(),
    logger: deps.logger,
    timeoutMs: config.llmTimeoutMs,
  });
  const rewriter = new LlmQueryRewriter({ client, model: config.chatModel, logger: deps.logger });
  return { answerer, rewriter, client };
}

function snippet(text: string, terms: string[]): string {
  const lower = text.toLowerCase();
  let at = -1;
  for (const t of terms) {
    const i = lower.indexOf(t.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = Math.max(0, at - 80);
  const s = text
    .slice(start, start + 240)
    .replace(/\s+/g, " ")
    .trim();
  return `${start > 0 ? "…" : ""}${s}${start + 240 < text.length ? "…" : ""}`;
}

function round(t: Record<string, number | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(t)) if (v !== undefined) out[k] = Math.round(v * 10) / 10;
  return out;
}
