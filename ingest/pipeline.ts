import { createHash } from "node:crypto";
import { basename, resolve } from "node:path";
import type { Embedder } from "../src/embed/embedder.js";
import { describeError, KkrError } from "../src/errors.js";
import { type Logger, silentLogger } from "../src/logger.js";
import { acquireIngestLock } from "../src/store/lock.js";
import { SCHEMA_VERSION, searchTextFor } from "../src/store/schema.js";
import type { DocumentWrite, KkrStore } from "../src/store/store.js";
import type { ParsedDocument } from "../src/types.js";
import { parseFile } from "./parse-file.js";
import { loadSidecars, sidecarFingerprint, sidecarFor } from "./sidecar.js";
import { type FoundFile, walkDocuments } from "./walk.js";

/** Bump when parsing/cleaning/chunking changes, so unchanged files are re-parsed once. */
export const PARSER_VERSION = "5";

/** A folder's own documentation (README, LICENSE…) describes the folder; it is not a KKR document. */
const FOLDER_DOCS = /^(readme|license|licence|changelog|contributing)(\.[a-z]+)?$/i;

export interface IngestOptions {
  dir: string;
  rebuild?: boolean;
  maxFileBytes: number;
  parseTimeoutMs: number;
  logger?: Logger;
  onProgress?: (progress: IngestProgress) => void;
  now?: () => Date;
  /** Chunks embedded and written per batch (memory vs. commit count). */
  batchChunks?: number;
  /** Files parsed at once (PDFs parse in worker threads). */
  parseConcurrency?: number;
  /** The caller already holds the ingest lock (`kkr sync` holds it across download and ingest). */
  lockHeld?: boolean;
}

export interface IngestProgress {
  phase: "scan" | "parse" | "write" | "index" | "done";
  filesDone: number;
  filesTotal: number;
  chunksEmbedded: number;
}

export interface IngestSummary {
  dir: string;
  db: string;
  embedder: string;
  added: string[];
  updated: string[];
  unchanged: number;
  removed: string[];
  skipped: { source: string; reason: string }[];
  chunksEmbedded: number;
  documents: number;
  chunks: number;
  durationMs: number;
}

export const docIdFor = (source: string) => createHash("sha1").update(source).digest("hex").slice(0, 16);

function toWrite(
  file: FoundFile,
  parsed: ParsedDocument & { contentHash: string },
  fingerprint: string,
  vectors: Float32Array[],
  now: Date,
): DocumentWrite {
  const id = docIdFor(file.source);
  const m = parsed.meta;
  const date = documentDate(m);
  const year = date ? Number(date.slice(0, 4)) : null;
  return {
    doc: {
      ...m,
      id,
      source: file.source,
      contentHash: parsed.contentHash,
      fingerprint,
      pageCount: parsed.pageCount,
      pageOffsets: parsed.pageOffsets,
      text: parsed.text,
      year,
      meetings: parsed.meetings,
      size: file.size,
      mtimeMs: file.mtimeMs,
      ingestedAt: now.toISOString(),
    },
    chunks: parsed.chunks.map((c, i) => ({
      ...c,
      id: `${id}:${c.ordinal}`,
      docId: id,
      source: file.source,
      title: m.title,
      region: m.region,
      kind: m.kind,
      date,
      year,
      url: m.url,
      searchText: searchTextFor(m.title, c.section, c.text),
      vector: vectors[i] ?? new Float32Array(),
    })),
    glossary: parsed.glossary.map((g) => ({ ...g, docId: id, source: file.source })),
  };
}

export { searchTextFor };

/**
 * The one date a document is cited and filtered by: the meeting's for an agenda, minutes or
 * the newsletter about a meeting; the publication date for news and pages (a news article
 * is dated when it appeared, even when it reports an earlier meeting).
 */
export function documentDate(m: Pick<ParsedDocument["meta"], "kind" | "meetingDate" | "publishedDate">) {
  const meetingFirst = m.kind === "dagsorden" || m.kind === "referat" || m.kind === "nyhedsbrev";
  return meetingFirst ? (m.meetingDate ?? m.publishedDate) : (m.publishedDate ?? m.meetingDate);
}

/**
 * Brings the index in line with the folder: new and changed files are parsed, embedded
 * and written; vanished files are removed; unchanged files cost a stat (or a hash when
 * only the mtime moved). A file that fails to parse is skipped with its reason and its
 * previously indexed version, if any, is kept.
 */
export async function runIngest(
  store: KkrStore,
  embedder: Embedder,
  options: IngestOptions,
): Promise<IngestSummary> {
  const started = Date.now();
  const log = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const dir = resolve(options.dir);
  const lock = store.localDir && !options.lockHeld ? acquireIngestLock(store.localDir, now) : null;
  if (!store.localDir) log.warn("index is not on local disk: no ingest lock; run one ingest at a time");
  try {
    const progress: IngestProgress = { phase: "scan", filesDone: 0, filesTotal: 0, chunksEmbedded: 0 };
    const report = () => options.onProgress?.({ ...progress });
    report();

    if (options.rebuild) await store.dropContent();
    const meta = await store.readMeta();
    if (meta && (meta.embedderId !== embedder.id || meta.schemaVersion !== SCHEMA_VERSION)) {
      throw new KkrError(
        "EMBEDDER_MISMATCH",
        meta.schemaVersion !== SCHEMA_VERSION
          ? `The index at ${store.uri} has an older layout (v${meta.schemaVersion}). Re-run with \`kkr ingest --rebuild\`.`
          : `The index at ${store.uri} was built with embedder ${meta.embedderId}, but ${embedder.id} is configured. ` +
              "Re-run with `kkr ingest --rebuild` to re-embed, or set KKR_EMBEDDER back.",
      );
    }
    await store.ensureTables(embedder.dimensions);
    if (!meta) await store.writeMeta({ embedderId: embedder.id, dimensions: embedder.dimensions });

    const walked = await walkDocuments(dir);
    // an index kept inside the documents folder is not a document
    const dbDir = store.localDir ? resolve(store.localDir) : null;
    const inDb = (source: string) => dbDir !== null && resolve(dir, source).startsWith(`${dbDir}/`);
    const files = walked.files.filter((f) => !FOLDER_DOCS.test(basename(f.source)) && !inDb(f.source));
    const skipped = walked.skipped.filter((s) => !inDb(s.source));
    const sidecars = await loadSidecars(dir, log);
    const states = new Map((await store.documentStates()).map((s) => [s.source, s]));
    const withChunks = await store.chunkDocIds();

    const summary: IngestSummary = {
      dir,
      db: store.uri,
      embedder: embedder.id,
      added: [],
      updated: [],
      unchanged: 0,
      removed: [],
      skipped: [...skipped],
      chunksEmbedded: 0,
      documents: 0,
      chunks: 0,
      durationMs: 0,
    };

    // 1. decide what to (re)parse
    const todo: { file: FoundFile; sidecarFp: string; previous: boolean }[] = [];
    for (const file of files) {
      const sidecarFp = sidecarFingerprint(sidecarFor(sidecars, file.source));
      const state = states.get(file.source);
      if (
        state &&
        state.size === file.size &&
        state.mtimeMs === file.mtimeMs &&
        state.fingerprint.endsWith(`:${sidecarFp}:${PARSER_VERSION}`)
      ) {
        summary.unchanged++;
        continue;
      }
      todo.push({ file, sidecarFp, previous: state !== undefined });
    }
    const present = new Set(files.map((f) => f.source));
    const gone = [...states.values()].filter((s) => !present.has(s.source));

    // 2. parse (bounded concurrency), embed and write in batches
    progress.phase = "parse";
    progress.filesTotal = todo.length;
    report();
    const batchChunks = options.batchChunks ?? 2000;
    let pending: {
      file: FoundFile;
      parsed: ParsedDocument & { contentHash: string };
      fingerprint: string;
      previous: boolean;
    }[] = [];
    let pendingChunks = 0;
    let wrote = false;

    const flush = async () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      pendingChunks = 0;
      const texts = batch.flatMap((p) =>
        p.parsed.chunks.map((c) => searchTextFor(p.parsed.meta.title, c.section, c.text)),
      );
      const vectors: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += embedder.maxBatch) {
        vectors.push(...(await embedder.embed(texts.slice(i, i + embedder.maxBatch), "document")));
      }
      let offset = 0;
      const writes = batch.map((p) => {
        const w = toWrite(
          p.file,
          p.parsed,
          p.fingerprint,
          vectors.slice(offset, offset + p.parsed.chunks.length),
          now(),
        );
        offset += p.parsed.chunks.length;
        return w;
      });
      progress.phase = "write";
      // An append is safe only when nothing of these documents is stored, not even
      // chunks orphaned by a killed run.
      const fresh = batch.every((p) => !p.previous && !withChunks.has(docIdFor(p.file.source)));
      await store.writeDocuments(writes, { fresh });
      wrote = true;
      progress.chunksEmbedded += texts.length;
      summary.chunksEmbedded += texts.length;
      for (const p of batch) (p.previous ? summary.updated : summary.added).push(p.file.source);
      progress.phase = "parse";
      report();
    };

    const concurrency = options.parseConcurrency ?? 4;
    let next = 0;
    const parseOne = async (entry: (typeof todo)[number]) => {
      try {
        const parsed = await parseFile(entry.file, {
          maxFileBytes: options.maxFileBytes,
          parseTimeoutMs: options.parseTimeoutMs,
          sidecar: sidecarFor(sidecars, entry.file.source),
        });
        const fingerprint = `${parsed.contentHash}:${entry.sidecarFp}:${PARSER_VERSION}`;
        const state = states.get(entry.file.source);
        if (state && state.fingerprint === fingerprint) {
          // touched but identical: no re-embedding
          summary.unchanged++;
          return null;
        }
        return { file: entry.file, parsed, fingerprint, previous: entry.previous };
      } catch (error) {
        const reason = describeError(error);
        summary.skipped.push({ source: entry.file.source, reason });
        log.warn({ source: entry.file.source, reason }, "skipped");
        return null;
      }
    };
    // Parse ahead in a small window, but write in file order so runs are reproducible.
    const window: Promise<Awaited<ReturnType<typeof parseOne>>>[] = [];
    while (next < todo.length || window.length > 0) {
      while (window.length < concurrency && next < todo.length) window.push(parseOne(todo[next++]!));
      const result = await window.shift()!;
      progress.filesDone++;
      if (result) {
        pending.push(result);
        pendingChunks += result.parsed.chunks.length;
        if (pendingChunks >= batchChunks) await flush();
      }
      report();
    }
    await flush();

    // 3. removals: only files that are gone (a file that failed to parse keeps its old copy)
    if (gone.length > 0) {
      await store.removeDocuments(gone.map((g) => g.id));
      summary.removed.push(...gone.map((g) => g.source));
      wrote = true;
    }
    // chunks orphaned by a killed run whose file has since vanished
    const known = new Set(files.map((f) => docIdFor(f.source)));
    const orphans = [...withChunks].filter((id) => !known.has(id) && !gone.some((g) => g.id === id));
    if (orphans.length > 0) {
      await store.removeDocuments(orphans);
      wrote = true;
    }

    progress.phase = "index";
    report();
    await store.finalize({ changed: wrote });
    await store.writeMeta({
      embedderId: embedder.id,
      dimensions: embedder.dimensions,
      docsDir: dir,
      updatedAt: now().toISOString(),
    });
    const counts = await store.counts();
    summary.documents = counts.documents;
    summary.chunks = counts.chunks;
    summary.durationMs = Date.now() - started;
    progress.phase = "done";
    report();
    return summary;
  } finally {
    lock?.release();
  }
}
