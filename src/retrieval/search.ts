import type { Embedder } from "../embed/embedder.js";
import { vectorProblem } from "../embed/validate.js";
import { describeError } from "../errors.js";
import type { Candidate, KkrStore, StoredChunk } from "../store/store.js";
import type { DocKind, Region } from "../types.js";
import type { QueryAnalysis } from "./query.js";

export interface SearchFilters {
  region?: Region;
  since?: string;
  until?: string;
  kind?: DocKind;
}

export interface SearchHit {
  chunk: StoredChunk;
  score: number;
  /** 1-based ranks in each list, for debugging and evaluation. */
  ftsRank: number | null;
  vectorRank: number | null;
}

export interface SearchOptions {
  k?: number;
  /** Explicit filters (CLI flags): applied in the query. Question-derived ones only boost. */
  filters?: SearchFilters;
  /** Score factor per chunk already taken from the same document (1 = no diversity). */
  perDocDecay?: number;
  /** Candidates read from each list (BM25, vector); default `candidatesFor(k)`. */
  candidates?: number;
  /** Most time the query embedding may take, retries included; past it, BM25 alone. */
  embedTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface SearchResult {
  hits: SearchHit[];
  timings: Record<string, number>;
  /** Why vector search was left out (the query could not be embedded), if it was. */
  vectorProblem: string | null;
}

/**
 * Candidates per list for k results. Measured (KKR_CANDIDATES=N scripts/tune-retrieval.ts,
 * dev set + bench/eval-*.jsonl, and the answers to them): recall@10 is flat from 10 to 50,
 * but below 50 for k = 10 answers change (30–40: an agenda-item question loses the item's
 * recommendation; 10–20: two more answers change), so 5 per result stays.
 */
export const CANDIDATES = { perK: 5, min: 40 };
export const candidatesFor = (k: number) => Math.max(CANDIDATES.min, k * CANDIDATES.perK);

// Fusion settings, measured with scripts/tune-retrieval.ts (answer-bearing chunk in the
// top k over the dev set and bench/eval-extra.jsonl): see README "Retrieval".
export const FUSION = {
  rrfK: 10,
  ftsWeight: 1.0,
  /** For the weights-free hash embedder; a learned embedding model gets full weight. */
  vectorWeight: 0.3,
  learnedVectorWeight: 1.0,
};

const sql = (s: string) => `'${s.replaceAll("'", "''")}'`;

export function filterSql(f: SearchFilters | undefined): string | undefined {
  if (!f) return undefined;
  const parts: string[] = [];
  if (f.region) parts.push(`(region = ${sql(f.region)} OR region = 'all')`);
  if (f.kind) parts.push(`kind = ${sql(f.kind)}`);
  if (f.since) parts.push(`date >= ${sql(f.since)}`);
  // dates are ISO strings of varying precision; "~" sorts after any digit, so --until 2020-11
  // keeps every date in November 2020
  if (f.until) parts.push(`date <= ${sql(`${f.until}~`)}`);
  return parts.length ? parts.join(" AND ") : undefined;
}

type Meta = Pick<StoredChunk, "docId" | "start" | "end" | "region" | "kind" | "date">;

/** Soft preferences read from the question: a multiplier, never an exclusion. */
function boost(chunk: Meta, a: QueryAnalysis): number {
  let b = 1;
  if (a.region) {
    if (chunk.region === a.region) b *= 1.5;
    else if (chunk.region && chunk.region !== "all") b *= 0.5;
  }
  if (a.dates.length > 0 && chunk.date) {
    const match = a.dates.some((d) => chunk.date?.startsWith(d.iso) || d.iso.startsWith(chunk.date ?? "~"));
    const sameYear = a.dates.some((d) => chunk.date?.slice(0, 4) === d.iso.slice(0, 4));
    b *= match ? 1.6 : sameYear ? 1.2 : 0.85;
  }
  if (a.kinds.length > 0) b *= a.kinds.includes(chunk.kind) ? 1.3 : 0.9;
  return b;
}

/** Two chunks of one document covering mostly the same span. */
function sameSpan(a: Meta, b: Meta): boolean {
  if (a.docId !== b.docId) return false;
  const shared = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  return shared > 0.5 * Math.min(a.end - a.start, b.end - b.start);
}

interface Fused {
  c: Candidate;
  score: number;
  ftsRank: number | null;
  vectorRank: number | null;
}

/**
 * Diversity without a hard cap: each further chunk of a document already taken counts
 * a little less, so one long document can't crowd out the others, yet still fills the
 * list when it is the only relevant one. Works on candidate metadata only.
 */
function pickDiverse(ranked: Fused[], k: number, decay: number): Fused[] {
  const out: Fused[] = [];
  const taken = new Map<string, number>();
  const pool = [...ranked];
  while (out.length < k && pool.length > 0) {
    let bestIdx = -1;
    let bestScore = -1;
    for (let i = 0; i < pool.length; i++) {
      const h = pool[i]!;
      const s = h.score * decay ** (taken.get(h.c.docId) ?? 0);
      if (s > bestScore) {
        bestScore = s;
        bestIdx = i;
      }
    }
    const [hit] = pool.splice(bestIdx, 1);
    if (!hit || out.some((o) => sameSpan(o.c, hit.c))) continue;
    taken.set(hit.c.docId, (taken.get(hit.c.docId) ?? 0) + 1);
    out.push(hit);
  }
  return out;
}

/**
 * Hybrid retrieval: BM25 and vector candidates fused with weighted reciprocal rank,
 * boosted by the question's soft filters, near-duplicates collapsed, and a per-document
 * decay so one long document can't crowd out the others. Two phases: the candidate lists
 * carry ids and a few metadata columns; full rows are read for the chosen k only.
 */
export async function hybridSearch(
  store: KkrStore,
  embedder: Embedder,
  analysis: QueryAnalysis,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const k = options.k ?? 8;
  const n = options.candidates ?? candidatesFor(k);
  const where = filterSql(options.filters);
  const t0 = performance.now();
  const { vector, problem } = await queryVector(embedder, analysis.embedText, options);
  const t1 = performance.now();
  const [fts, vec] = await Promise.all([
    analysis.ftsQuery ? store.fullTextSearch(analysis.ftsQuery, n, where) : Promise.resolve([]),
    vector ? store.vectorSearch(vector, n, where) : Promise.resolve([]),
  ]);
  const t2 = performance.now();

  const fused = new Map<string, Fused>();
  const add = (list: Candidate[], weight: number, which: "ftsRank" | "vectorRank") => {
    list.forEach((c, i) => {
      const hit = fused.get(c.id) ?? { c, score: 0, ftsRank: null, vectorRank: null };
      hit.score += weight / (FUSION.rrfK + i + 1);
      hit[which] = i + 1;
      fused.set(c.id, hit);
    });
  };
  add(fts, FUSION.ftsWeight, "ftsRank");
  add(vec, embedder.id.startsWith("hash") ? FUSION.vectorWeight : FUSION.learnedVectorWeight, "vectorRank");
  const ranked = [...fused.values()]
    .map((h) => ({ ...h, score: h.score * boost(h.c, analysis) }))
    .sort((a, b) => b.score - a.score);

  // The same text in two documents (a copy filed twice) is a near-duplicate too, but only
  // the full rows show it: drop the later copy and pick again, which is what skipping it
  // in pickDiverse would have done. Rare, so it costs nothing in the common case.
  const decay = options.perDocDecay ?? 0.85;
  const rows = new Map<string, StoredChunk>();
  let pool = ranked;
  let picked: Fused[] = [];
  for (;;) {
    picked = pickDiverse(pool, k, decay);
    const missing = picked.filter((h) => !rows.has(h.c.id)).map((h) => h.c);
    for (const [id, chunk] of await store.fetchChunks(missing)) rows.set(id, chunk);
    const dup = picked.find((h, i) => picked.slice(0, i).some((o) => sameText(o, h, rows)));
    if (!dup) break;
    pool = pool.filter((h) => h !== dup);
  }
  const hits: SearchHit[] = [];
  for (const h of picked) {
    const chunk = rows.get(h.c.id);
    if (chunk) hits.push({ chunk, score: h.score, ftsRank: h.ftsRank, vectorRank: h.vectorRank });
  }
  return {
    hits,
    timings: { embed_query: t1 - t0, search: t2 - t1, fuse: performance.now() - t2 },
    vectorProblem: problem,
  };
}

function sameText(a: Fused, b: Fused, rows: Map<string, StoredChunk>): boolean {
  const x = rows.get(a.c.id);
  const y = rows.get(b.c.id);
  return a.c.docId !== b.c.docId && x !== undefined && y !== undefined && x.text === y.text;
}

/**
 * The query's vector, or why there is none: the embedder failed, hung past the budget or
 * returned something unusable (NaN, infinite, wrong width). Search then runs on BM25
 * alone rather than failing the question or passing garbage to the vector index.
 */
async function queryVector(
  embedder: Embedder,
  text: string,
  options: SearchOptions,
): Promise<{ vector: Float32Array | null; problem: string | null }> {
  const budget = options.embedTimeoutMs;
  const signals = [options.signal, budget === undefined ? undefined : AbortSignal.timeout(budget)];
  const active = signals.filter((x): x is AbortSignal => x !== undefined);
  const signal = active.length > 1 ? AbortSignal.any(active) : active[0];
  let timer: NodeJS.Timeout | undefined;
  try {
    const work = embedder.embed([text], "query", signal);
    // the deadline holds even for an embedder that ignores the signal
    const deadline = new Promise<never>((_, reject) => {
      if (budget !== undefined)
        timer = setTimeout(() => reject(new Error(`no answer in ${budget} ms`)), budget);
    });
    const [vector] = await Promise.race([work, deadline]);
    const problem = vectorProblem(vector, embedder.dimensions);
    return problem === null && vector
      ? { vector, problem: null }
      : { vector: null, problem: `invalid vector: ${problem}` };
  } catch (error) {
    if (options.signal?.aborted) throw error; // the user cancelled: don't answer anyway
    return { vector: null, problem: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}
