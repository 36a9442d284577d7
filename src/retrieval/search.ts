import type { Embedder } from "../embed/embedder.js";
import { vectorProblem } from "../embed/validate.js";
import { describeError } from "../errors.js";
import type { KkrStore, StoredChunk } from "../store/store.js";
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

/** Soft preferences read from the question: a multiplier, never an exclusion. */
function boost(chunk: StoredChunk, a: QueryAnalysis): number {
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

function overlaps(a: StoredChunk, b: StoredChunk): boolean {
  if (a.docId !== b.docId) return a.text === b.text;
  const shared = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  return shared > 0.5 * Math.min(a.end - a.start, b.end - b.start);
}

/**
 * Hybrid retrieval: BM25 and vector candidates fused with weighted reciprocal rank,
 * boosted by the question's soft filters, near-duplicates collapsed, and a per-document
 * cap so one long document can't crowd out the others.
 */
export async function hybridSearch(
  store: KkrStore,
  embedder: Embedder,
  analysis: QueryAnalysis,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const k = options.k ?? 8;
  const n = options.candidates ?? Math.max(40, k * 5);
  const where = filterSql(options.filters);
  const t0 = performance.now();
  const { vector, problem } = await queryVector(embedder, analysis.embedText, options);
  const t1 = performance.now();
  const [fts, vec] = await Promise.all([
    analysis.ftsQuery ? store.fullTextSearch(analysis.ftsQuery, n, where) : Promise.resolve([]),
    vector ? store.vectorSearch(vector, n, where) : Promise.resolve([]),
  ]);
  const t2 = performance.now();

  const fused = new Map<string, SearchHit>();
  const add = (
    list: (StoredChunk & { score: number })[],
    weight: number,
    which: "ftsRank" | "vectorRank",
  ) => {
    list.forEach((c, i) => {
      const { score: _s, ...chunk } = c;
      const hit = fused.get(c.id) ?? { chunk, score: 0, ftsRank: null, vectorRank: null };
      hit.score += weight / (FUSION.rrfK + i + 1);
      hit[which] = i + 1;
      fused.set(c.id, hit);
    });
  };
  add(fts, FUSION.ftsWeight, "ftsRank");
  add(vec, embedder.id.startsWith("hash") ? FUSION.vectorWeight : FUSION.learnedVectorWeight, "vectorRank");
  const ranked = [...fused.values()]
    .map((h) => ({ ...h, score: h.score * boost(h.chunk, analysis) }))
    .sort((a, b) => b.score - a.score);

  // Diversity without a hard cap: each further chunk of a document already taken counts
  // a little less, so one long document can't crowd out the others, yet still fills the
  // list when it is the only relevant one.
  const decay = options.perDocDecay ?? 0.85;
  const out: SearchHit[] = [];
  const taken = new Map<string, number>();
  const pool = [...ranked];
  while (out.length < k && pool.length > 0) {
    let bestIdx = -1;
    let bestScore = -1;
    for (let i = 0; i < pool.length; i++) {
      const h = pool[i]!;
      const s = h.score * decay ** (taken.get(h.chunk.docId) ?? 0);
      if (s > bestScore) {
        bestScore = s;
        bestIdx = i;
      }
    }
    const [hit] = pool.splice(bestIdx, 1);
    if (!hit || out.some((o) => overlaps(o.chunk, hit.chunk))) continue;
    taken.set(hit.chunk.docId, (taken.get(hit.chunk.docId) ?? 0) + 1);
    out.push(hit);
  }
  return {
    hits: out,
    timings: { embed_query: t1 - t0, search: t2 - t1, fuse: performance.now() - t2 },
    vectorProblem: problem,
  };
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
