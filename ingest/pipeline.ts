import { createHash } from "node:crypto";
import { basename, resolve } from "node:path";
import type { Embedder } from "../src/embed/embedder.js";
import { vectorProblem } from "../src/embed/validate.js";
import { describeError, isKkrError, KkrError } from "../src/errors.js";
import { type Logger, silentLogger } from "../src/logger.js";
import { readOnlyError } from "../src/store/read-only.js";
import { SCHEMA_VERSION, searchTextFor } from "../src/store/schema.js";
import type { DocumentState, DocumentWrite, KkrStore } from "../src/store/store.js";
import type { ParsedDocument } from "../src/types.js";
import { DEFAULT_PDF_MAX_MEMORY_MB } from "./extract.js";
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
  /** Memory limit of a PDF parser process in MB (KKR_PDF_MAX_MEMORY_MB). */
  pdfMaxMemoryMb?: number;
  /** Allow removing more than `pruneMaxShare` of the index (or all of it). */
  prune?: boolean;
  /** Largest share of indexed documents a run may remove without `prune` (default 0.2). */
  pruneMaxShare?: number;
  /** The caller already holds the ingest lock (`kkr sync` holds it across download and ingest). */
  lockHeld?: boolean;
}

export const DEFAULT_PRUNE_MAX_SHARE = 0.2;

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
 * The index must have been built by this embedder and layout, unless it is being rebuilt
 * (which is how one changes them).
 */
async function checkIndexFits(store: KkrStore, embedder: Embedder, rebuild: boolean) {
  const meta = await store.readMeta();
  if (!rebuild && meta && (meta.embedderId !== embedder.id || meta.schemaVersion !== SCHEMA_VERSION)) {
    throw new KkrError(
      "EMBEDDER_MISMATCH",
      meta.schemaVersion !== SCHEMA_VERSION
        ? `The index at ${store.uri} has an older layout (v${meta.schemaVersion}). Re-run with \`kkr ingest --rebuild\`.`
        : `The index at ${store.uri} was built with embedder ${meta.embedderId}, but ${embedder.id} is configured. ` +
            "Re-run with `kkr ingest --rebuild` to re-embed, or set KKR_EMBEDDER back.",
    );
  }
  return meta;
}

/**
 * Indexed documents whose files are known to be gone: not found, and not at or below
 * something that exists but could not be read (an unreadable folder, a broken link to an
 * unmounted share) — those are kept until the folder can be read again.
 */
export function goneDocuments<T extends { source: string }>(
  indexed: T[],
  files: FoundFile[],
  unreadable: string[],
): T[] {
  const present = new Set(files.map((f) => f.source));
  const underUnreadable = (source: string) =>
    unreadable.some((u) => u === "." || source === u || source.startsWith(`${u}/`));
  return indexed.filter((d) => !present.has(d.source) && !underUnreadable(d.source));
}

/**
 * A run that would remove more than the allowed share of the index (or all of it) is
 * most likely pointed at the wrong or a half-mounted folder: refuse before changing
 * anything, unless --prune says the removals are meant.
 */
export function checkPruneGuard(
  gone: { source: string }[],
  indexed: number,
  dir: string,
  options: Pick<IngestOptions, "prune" | "pruneMaxShare">,
): void {
  if (options.prune || gone.length === 0 || indexed === 0) return;
  const maxShare = options.pruneMaxShare ?? DEFAULT_PRUNE_MAX_SHARE;
  const share = gone.length / indexed;
  if (gone.length < indexed && share <= maxShare) return;
  const percent = (x: number) => `${Math.round(x * 100)}%`;
  throw new KkrError(
    "PRUNE_REFUSED",
    `Refusing to remove ${gone.length} of the ${indexed} indexed documents (${percent(share)}) whose files are not in ${dir}; ` +
      "nothing was changed. If the folder is right and the files were deleted on purpose, run again with --prune " +
      `(\`kkr ingest --prune\` or \`kkr serve --prune\`); otherwise check KKR_DOCS_DIR and that the folder is mounted. ` +
      `A run may remove up to ${percent(maxShare)} of the index without --prune (KKR_PRUNE_MAX_SHARE), never all of it.`,
    {
      details: {
        dir,
        removing: gone.length,
        indexed,
        maxShare,
        examples: gone.slice(0, 5).map((g) => g.source),
      },
    },
  );
}

/**
 * Vectors for each document's texts. When the server answers a batch with vectors of the
 * wrong size, each document is embedded on its own so that only the documents it happens
 * to fail (an error message instead of vectors); any other failure stops the run.
 */
async function embedDocuments(
  embedder: Embedder,
  docTexts: string[][],
): Promise<(Float32Array[] | string)[]> {
  const embedAll = async (texts: string[]) => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += embedder.maxBatch) {
      out.push(...(await embedder.embed(texts.slice(i, i + embedder.maxBatch), "document")));
    }
    return out;
  };
  const wrongSize = (e: unknown) => isKkrError(e, "EMBEDDER_FAILED") && e.details?.kind === "dimensions";
  try {
    const flat = await embedAll(docTexts.flat());
    let offset = 0;
    return docTexts.map((t) => {
      offset += t.length;
      return flat.slice(offset - t.length, offset);
    });
  } catch (error) {
    if (!wrongSize(error)) throw error;
    const out: (Float32Array[] | string)[] = [];
    for (const t of docTexts) {
      out.push(
        await embedAll(t).catch((e: unknown) => {
          if (!wrongSize(e)) throw e;
          return describeError(e);
        }),
      );
    }
    return out;
  }
}

/** Why a document's vectors can't be stored (one per chunk, finite, the index's width), or null. */
function invalidVectors(vectors: Float32Array[] | string, chunks: number, dimensions: number): string | null {
  if (typeof vectors === "string") return vectors;
  for (let i = 0; i < chunks; i++) {
    const problem = vectorProblem(vectors[i], dimensions);
    if (problem !== null) {
      return `the embedder returned an invalid vector for chunk ${i + 1} (${problem}); check the embedding model or server`;
    }
  }
  return null;
}

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
  const lock = options.lockHeld
    ? null
    : await store.acquireWriterLock({
        now,
        warn: (m) => log.warn(m),
        onLost: (error) => log.error({ err: error }, "the writer lease was lost: another writer may start"),
      });
  try {
    const progress: IngestProgress = { phase: "scan", filesDone: 0, filesTotal: 0, chunksEmbedded: 0 };
    const report = () => options.onProgress?.({ ...progress });
    report();

    await store.dropStaleGenerations(now());
    const meta = await checkIndexFits(store, embedder, options.rebuild ?? false);
    // what readers see now; a rebuild writes a new generation beside it (see beginRebuild)
    const live = new Map((await store.documentStates()).map((s) => [s.source, s]));
    if (!options.rebuild) {
      await store.ensureTables(embedder.dimensions);
      if (!meta) await store.writeMeta({ embedderId: embedder.id, dimensions: embedder.dimensions });
    }

    const walked = await walkDocuments(dir);
    // an index kept inside the documents folder is not a document
    const dbDir = store.localDir ? resolve(store.localDir) : null;
    const inDb = (source: string) => dbDir !== null && resolve(dir, source).startsWith(`${dbDir}/`);
    const files = walked.files.filter((f) => !FOLDER_DOCS.test(basename(f.source)) && !inDb(f.source));
    const skipped = walked.skipped.filter((s) => !inDb(s.source));
    const sidecars = await loadSidecars(dir, log);
    const gone = goneDocuments([...live.values()], files, walked.unreadable);
    checkPruneGuard(gone, live.size, dir, options);
    if (options.rebuild) await store.beginRebuild(embedder.dimensions);
    const states = options.rebuild ? new Map<string, DocumentState>() : live;
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
      const docTexts = batch.map((p) =>
        p.parsed.chunks.map((c) => searchTextFor(p.parsed.meta.title, c.section, c.text)),
      );
      const embedded = await embedDocuments(embedder, docTexts);
      const texts = docTexts.flat();
      const good: typeof batch = [];
      const writes: DocumentWrite[] = [];
      batch.forEach((p, i) => {
        // a bad vector would fail the whole write with a raw Lance error (or poison search):
        // the document is skipped with the reason and its previous version kept
        const reason = invalidVectors(
          embedded[i] ?? "no vectors",
          p.parsed.chunks.length,
          embedder.dimensions,
        );
        if (reason !== null) {
          summary.skipped.push({ source: p.file.source, reason });
          log.warn({ source: p.file.source, reason }, "skipped");
          return;
        }
        good.push(p);
        writes.push(toWrite(p.file, p.parsed, p.fingerprint, embedded[i] as Float32Array[], now()));
      });
      progress.phase = "write";
      // An append is safe only when nothing of these documents is stored, not even
      // chunks orphaned by a killed run.
      const fresh = good.every((p) => !p.previous && !withChunks.has(docIdFor(p.file.source)));
      await store.writeDocuments(writes, { fresh });
      wrote ||= writes.length > 0;
      progress.chunksEmbedded += texts.length;
      summary.chunksEmbedded += texts.length;
      for (const p of good) (p.previous ? summary.updated : summary.added).push(p.file.source);
      progress.phase = "parse";
      report();
    };

    // Files that ran the parser out of memory or time under these limits: not tried again
    // on every start (a bomb would otherwise be met by each startup sync); a changed file,
    // a raised limit or a new parser version tries again.
    const pdfMaxMemoryMb = options.pdfMaxMemoryMb ?? DEFAULT_PDF_MAX_MEMORY_MB;
    const limits = `pdf-memory=${pdfMaxMemoryMb}MB;timeout=${options.parseTimeoutMs}ms;parser=${PARSER_VERSION}`;
    const knownBad = await store.badFiles(limits);
    const remember = async (source: string, error: unknown) => {
      const hash = error instanceof KkrError ? error.details?.contentHash : undefined;
      if (typeof hash !== "string") return;
      const reason = describeError(error);
      await store.addBadFile({ hash, limits, source, reason, at: now().toISOString() });
      log.warn({ source, hash }, "remembered as a bad file: it is not parsed again until it changes");
    };

    const concurrency = options.parseConcurrency ?? 4;
    let next = 0;
    const parseOne = async (entry: (typeof todo)[number]) => {
      try {
        const parsed = await parseFile(entry.file, {
          maxFileBytes: options.maxFileBytes,
          parseTimeoutMs: options.parseTimeoutMs,
          sidecar: sidecarFor(sidecars, entry.file.source),
          rootReal: walked.rootReal,
          pdfMaxMemoryMb,
          knownBad,
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
        await remember(entry.file.source, error);
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

    // 3. removals: only files that are gone (a file that failed to parse keeps its old copy);
    // a rebuild's new generation never had them
    summary.removed.push(...gone.map((g) => g.source));
    if (gone.length > 0 && !options.rebuild) {
      await store.removeDocuments(gone.map((g) => g.id));
      wrote = true;
    }
    // chunks orphaned by a killed run (no document row) whose file has since vanished
    const known = new Set([
      ...files.map((f) => docIdFor(f.source)),
      ...[...states.values()].map((s) => s.id),
    ]);
    const orphans = [...withChunks].filter((id) => !known.has(id));
    if (orphans.length > 0) {
      await store.removeDocuments(orphans);
      wrote = true;
    }

    progress.phase = "index";
    report();
    await store.finalize({ changed: wrote });
    const done = {
      embedderId: embedder.id,
      dimensions: embedder.dimensions,
      docsDir: dir,
      updatedAt: now().toISOString(),
    };
    // a rebuild becomes visible only now, complete, in one commit
    if (options.rebuild) await store.commitRebuild(done, now());
    else await store.writeMeta(done);
    const counts = await store.counts();
    summary.documents = counts.documents;
    summary.chunks = counts.chunks;
    summary.durationMs = Date.now() - started;
    progress.phase = "done";
    report();
    return summary;
  } catch (error) {
    // an unfinished rebuild stays invisible; the next run drops its tables
    if (options.rebuild) store.abandonRebuild();
    throw readOnlyError(store.uri, error) ?? error;
  } finally {
    await lock?.release();
  }
}
