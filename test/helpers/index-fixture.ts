import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before } from "node:test";
import { runIngest } from "../../ingest/pipeline.js";
import { type Config, loadConfig } from "../../src/config.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { Kkr, type KkrDeps } from "../../src/kkr.js";
import { KkrStore, sqlIn } from "../../src/store/store.js";
import type { Citation } from "../../src/types.js";

/** The reference corpus beside the project (read-only; copied to temp dirs when a test edits it). */
export const CORPUS_DIR = resolve(import.meta.dirname, "../../../shared/corpus");
export const DEV_EVAL = resolve(import.meta.dirname, "../../../shared/eval/dev.jsonl");

export function tempDir(prefix = "kkr-test-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A copy of the corpus the test may change. */
export function corpusCopy(): { path: string; cleanup: () => void } {
  const t = tempDir("kkr-docs-");
  cpSync(CORPUS_DIR, t.path, { recursive: true });
  return t;
}

export function testConfig(db: string, env: Record<string, string> = {}): Config {
  return loadConfig({ KKR_DB: db, KKR_LOG_LEVEL: "silent", ...env });
}

/** A real LanceDB index of `docs` in a temp folder, built with the offline embedder. */
export async function buildIndex(docs: string = CORPUS_DIR) {
  const db = tempDir("kkr-db-");
  const embedder = new HashEmbedder();
  const store = await KkrStore.open(db.path, { create: true });
  const summary = await runIngest(store, embedder, {
    dir: docs,
    maxFileBytes: 50 * 1024 * 1024,
    parseTimeoutMs: 20_000,
  });
  store.close();
  return { db: db.path, summary, config: testConfig(db.path), cleanup: db.cleanup };
}

/** The core over a fresh index of the reference corpus, offline unless `deps` say otherwise. */
export async function corpusKkr(deps: KkrDeps = { llmAnswerer: null, rewriter: null }) {
  const index = await buildIndex();
  const kkr = await Kkr.open(index.config, deps);
  return {
    index,
    kkr,
    close: async () => {
      await kkr.close();
      index.cleanup();
    },
  };
}

/** corpusKkr() for a whole test file (or describe block): opened before, closed after. */
export function useCorpusKkr(): { kkr: Kkr } {
  const ref = {} as { kkr: Kkr; close: () => Promise<void> };
  before(async () => {
    const core = await corpusKkr();
    ref.kkr = core.kkr;
    ref.close = core.close;
  });
  after(() => ref.close());
  return ref;
}

/**
 * What every answer promises about its citations: numbered 1..N, every [n] in the text
 * points at one, and each quote is an exact substring (≤ 300 chars) of the stored chunk it
 * names, from the source it names.
 */
export async function assertCitationsQuoteChunks(store: KkrStore, answer: string, citations: Citation[]) {
  assert.deepEqual(
    citations.map((c) => c.n),
    citations.map((_, i) => i + 1),
  );
  for (const m of answer.matchAll(/\[(\d+)\]/g)) {
    assert.ok(Number(m[1]) >= 1 && Number(m[1]) <= citations.length, `marker ${m[0]}`);
  }
  if (citations.length === 0) return;
  const chunks = await store.chunksWhere(
    sqlIn(
      "id",
      citations.map((c) => c.chunkId),
    ),
  );
  const byId = new Map(chunks.map((c) => [c.id, c]));
  for (const c of citations) {
    const chunk = byId.get(c.chunkId);
    assert.ok(chunk, `chunk ${c.chunkId}`);
    assert.ok(c.quote.length > 0 && c.quote.length <= 300, `quote length ${c.quote.length}`);
    assert.ok(chunk.text.includes(c.quote), `quote is a substring of its chunk: ${c.quote}`);
    assert.equal(c.source, chunk.source);
  }
}
