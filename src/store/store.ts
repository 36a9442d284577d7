import "./lancedb-env.js";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as lancedb from "@lancedb/lancedb";
import type { Schema as ArrowSchema, Table as ArrowTable } from "apache-arrow";
import { localStoreConfig, type StoreConfig } from "../config.js";
import { KkrError } from "../errors.js";
import type { ChunkRecord, DocKind, DocumentMeeting, DocumentRecord, GlossaryEntry } from "../types.js";
import { arrow } from "./arrow.js";
import { ensureContainer } from "./azure-blob.js";
import { CONTENT_TABLES, generationOf, generationTable, staleTables } from "./generations.js";
import type { IngestLock } from "./lock.js";
import { type DbLocation, parseDbUri } from "./object-store.js";
import { ensureBucket } from "./s3-bucket.js";
import {
  badFilesSchema,
  CANDIDATE_COLUMNS,
  CHUNK_COLUMNS,
  channelSettingsSchema,
  chunksSchema,
  documentsSchema,
  feedbackSchema,
  glossarySchema,
  metaSchema,
  SCHEMA_VERSION,
  searchTextFor,
  TABLES,
} from "./schema.js";
import { acquireWriterLock } from "./writer-lock.js";

/** A stored document plus what ingest uses to decide "unchanged". */
export type StoredDocument = DocumentRecord & { fingerprint: string };
export type StoredChunk = Omit<ChunkRecord, "vector">;

/** Phase one of a search: what fusion, boosts and diversity need, plus the row to fetch. */
export type Candidate = Pick<StoredChunk, "id" | "docId" | "start" | "end" | "region" | "kind" | "date"> & {
  rowId: bigint;
  score: number;
};

export interface DocumentState {
  id: string;
  source: string;
  fingerprint: string;
  size: number;
  mtimeMs: number;
}

/** Everything one document contributes; written together so it replaces the old copy. */
export interface DocumentWrite {
  doc: StoredDocument;
  chunks: (Omit<ChunkRecord, "vector"> & { vector: Float32Array })[];
  glossary: GlossaryEntry[];
}

/** A file remembered as too costly to parse (see badFilesSchema). */
export interface BadFile {
  hash: string;
  limits: string;
  source: string;
  reason: string;
  at: string;
}

export interface ChannelSettingRow {
  channel: string;
  region: string;
  setBy: string;
  setAt: string;
}

export interface StoreMeta {
  schemaVersion: number;
  embedderId: string;
  dimensions: number;
  docsDir: string | null;
  updatedAt: string | null;
  /** Which set of content tables readers use (see generations.ts). */
  generation: number;
  /** The generation a rebuild replaced, kept a little while for readers still on it. */
  previousGeneration: number | null;
  switchedAt: string | null;
}

/** How long a reader trusts the active generation it read before looking again. */
const GENERATION_TTL_MS = 1_000;

/**
 * The vector index, chosen by measurement (bench/vector-index.ts on synthetic agendas, hash
 * embeddings, 2 shared cores; recall@40 against exact search; README "Benchmarks"):
 * - flat (exact) search: 7 ms at 13.6k chunks, 80–320 ms at 136k;
 * - IVF_FLAT, ~256 rows per partition, nprobes 20: recall 1.00 at 13.6k, 0.984 at 136k (1.00
 *   with nprobes 40, +1–2 ms); 2–3.5 ms per query from 13.6k to 136k,
 *   built in 1 s (13.6k) and 8 s (136k);
 * - IVF_HNSW_SQ (the previous choice): recall 0.81–0.88 at any nprobes/ef, built in 269 s;
 * - IVF_PQ (default, refine 10): recall 0.75, built in 103 s; IVF_RQ: recall 0.79, 4 s.
 * IVF_FLAT keeps the full vectors, so results are exact within the probed partitions, and it
 * holds no graph in the cache (memory). Below `minRows` a flat scan is fast enough.
 */
export const VECTOR_INDEX = {
  minRows: 10_000,
  rowsPerPartition: 256,
  maxPartitions: 1024,
  nprobes: 20,
  /** Rebuilt (with more partitions) once the table has grown this much past its last build. */
  regrowFactor: 2,
};

const VECTOR_INDEX_ROWS_KEY = "vectorIndexRows";

export const vectorPartitions = (rows: number) =>
  Math.min(VECTOR_INDEX.maxPartitions, Math.max(8, Math.round(rows / VECTOR_INDEX.rowsPerPartition)));

export const FTS_OPTIONS = {
  // Chosen by tokenising Danish samples (see README "Full-text search"): the Danish
  // Snowball stemmer joins formand/formanden, kommuner/kommunernes; stop words drop
  // og/for/de; ASCII folding lets "Sjaelland" or "Koge" typed on an English keyboard match.
  baseTokenizer: "simple",
  language: "Danish",
  lowercase: true,
  stem: true,
  removeStopWords: true,
  asciiFolding: true,
  withPosition: true,
} as const;

/**
 * LanceDB's caches, bounded: by default they may grow to 6 GiB (index) and 1 GiB (metadata).
 * One session per process, shared by every connection. At 136k chunks with the IVF_FLAT index
 * the console chat's RSS after 200 questions was the same with 6 GiB/1 GiB, 128/64 and 48/32 MiB
 * (340/336/345 MiB, bench/scale-query.ts): the bound guards larger indexes, it costs nothing here.
 */
export const CACHE_BYTES = { index: 128 * 2 ** 20, metadata: 64 * 2 ** 20 };
let session: lancedb.Session | null = null;
const sharedSession = () => {
  session ??= new lancedb.Session(BigInt(CACHE_BYTES.index), BigInt(CACHE_BYTES.metadata));
  return session;
};

export function isLocalUri(uri: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) || uri.startsWith("file://");
}

/**
 * An absolute path: LanceDB takes a bare relative name such as "db" for a LanceDB Cloud
 * database ("An api_key … is required"); a path without a scheme is always a local path.
 */
function localPath(uri: string): string {
  return resolve(uri.startsWith("file://") ? fileURLToPath(uri) : uri);
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
export const sqlIn = (column: string, values: string[]) =>
  `${column} IN (${values.map(sqlString).join(", ")})`;

function dirSize(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) total += dirSize(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

type Row = Record<string, unknown>;

export class KkrStore {
  private tables = new Map<string, lancedb.Table>();
  private chunkCountCache: { table: string; version: number; rows: number } | null = null;
  private active: { generation: number; at: number } | null = null;
  /** Set during a rebuild: this writer's content tables are the new generation's. */
  private writing: number | null = null;

  private constructor(
    readonly uri: string,
    private readonly conn: lancedb.Connection,
    private readonly location: DbLocation,
    private readonly storeConfig: StoreConfig,
  ) {}

  /**
   * Opens the index. `create: false` (readers) fails with DB_MISSING when there is none.
   * `readConsistencyIntervalS: 0` makes every read check for newer versions, so a
   * reader in another process sees what an ingest just committed. `store` carries the
   * object-store credentials and the role (config.store); without it a local index.
   */
  static async open(
    uri: string,
    options: { create?: boolean; readConsistencyIntervalS?: number; store?: StoreConfig } = {},
  ) {
    if (isLocalUri(uri) && !options.create && !existsSync(join(localPath(uri), `${TABLES.meta}.lance`))) {
      throw new KkrError(
        "DB_MISSING",
        `No kkr index at ${uri}. Run \`kkr ingest DIR\` first, or point --db / KKR_DB at an existing index.`,
      );
    }
    const store = options.store ?? localStoreConfig();
    const location = parseDbUri(uri);
    // A reader never creates anything; a writer creates a missing container first.
    const create = options.create === true && store.role !== "reader";
    try {
      if (create && location.scheme === "az" && store.access.azure) {
        await ensureContainer(store.access.azure, location.bucket);
      }
      if (create && location.scheme === "s3" && store.access.s3)
        await ensureBucket(store.access.s3, location.bucket);
      const conn = await lancedb.connect(
        isLocalUri(uri) ? localPath(uri) : uri,
        {
          readConsistencyInterval: options.readConsistencyIntervalS ?? store.readConsistencyS,
          storageOptions: store.access.storageOptions,
        },
        sharedSession(),
      );
      return new KkrStore(uri, conn, location, store);
    } catch (error) {
      if (error instanceof KkrError) throw error;
      const message = (error as Error).message;
      if (/ContainerNotFound|NoSuchBucket|bucket.*not.*(exist|found)/i.test(message)) {
        throw new KkrError(
          "DB_MISSING",
          `No kkr index at ${uri}: its ${location.scheme === "az" ? "container" : "bucket"} ${location.bucket} does not exist. Run the writer (\`kkr ingest DIR\`, KKR_ROLE=writer) first, or check KKR_DB.`,
          { cause: error },
        );
      }
      // Object-store errors quote request URLs; a query string may hold a SAS signature.
      throw new KkrError(
        "DB_ERROR",
        `Could not open the index at ${uri}: ${message.replace(/\?[^\s"')]*/g, "?…")}`,
        {
          cause: error,
        },
      );
    }
  }

  get isLocal(): boolean {
    return isLocalUri(this.uri);
  }

  get localDir(): string | null {
    return this.isLocal ? localPath(this.uri) : null;
  }

  get role(): StoreConfig["role"] {
    return this.storeConfig.role;
  }

  /** The single-writer guard for ingest and sync (src/store/writer-lock.ts). */
  acquireWriterLock(
    options: { now?: () => Date; onLost?: (error: Error) => void; warn?: (message: string) => void } = {},
  ): Promise<IngestLock> {
    return acquireWriterLock(
      {
        uri: this.uri,
        location: this.location,
        access: this.storeConfig.access,
        localDir: this.localDir,
        role: this.storeConfig.role,
      },
      options,
    );
  }

  /** The generation of content tables to use: the one being built, else the active one. */
  private async generation(): Promise<number> {
    if (this.writing !== null) return this.writing;
    const now = Date.now();
    if (this.active && now - this.active.at < GENERATION_TTL_MS) return this.active.generation;
    const generation = (await this.readMeta())?.generation ?? 0;
    this.active = { generation, at: now };
    return generation;
  }

  private async table(base: string): Promise<lancedb.Table | null> {
    const name = CONTENT_TABLES.has(base) ? generationTable(base, await this.generation()) : base;
    const cached = this.tables.get(name);
    if (cached) return cached;
    const names = await this.conn.tableNames();
    let t: lancedb.Table | null = null;
    if (names.includes(name)) t = await this.conn.openTable(name);
    // Some S3-compatible stores (s3rver) list no tables: ask for the table itself.
    else if (!this.isLocal) t = await this.conn.openTable(name).catch(() => null);
    if (t) this.tables.set(name, t);
    return t;
  }

  private async requireTable(name: string): Promise<lancedb.Table> {
    const t = await this.table(name);
    if (!t) {
      throw new KkrError(
        "INDEX_EMPTY",
        `The index at ${this.uri} has no ${name} yet. Run \`kkr ingest DIR\`.`,
      );
    }
    return t;
  }

  /** Creates missing tables (content tables of the current generation); `dimensions` fixes the vector width. */
  async ensureTables(dimensions: number): Promise<void> {
    const names = new Set(await this.conn.tableNames());
    const generation = await this.generation();
    const create = async (base: string, schema: import("apache-arrow").Schema) => {
      const name = CONTENT_TABLES.has(base) ? generationTable(base, generation) : base;
      if (names.has(name)) return;
      const t = await this.conn.createTable(name, [], { schema, mode: "create", existOk: true });
      this.tables.set(name, t);
    };
    await create(TABLES.meta, metaSchema);
    await create(TABLES.documents, documentsSchema);
    await this.addMissingDocumentColumns();
    await create(TABLES.chunks, chunksSchema(dimensions));
    await create(TABLES.glossary, glossarySchema);
    await create(TABLES.feedback, feedbackSchema);
    await create(TABLES.channelSettings, channelSettingsSchema);
  }

  /**
   * Starts a rebuild: from now on this store writes (and reads) a new, empty generation
   * of content tables; readers elsewhere keep the active one until commitRebuild.
   */
  async beginRebuild(dimensions: number): Promise<void> {
    const used = (await this.conn.tableNames()).map(generationOf).filter((g) => g !== null);
    // a number no table has had yet, so no reader can be holding an old table by that name
    this.writing = Math.max(0, (await this.readMeta())?.generation ?? 0, ...used) + 1;
    await this.ensureTables(dimensions);
  }

  /** Switches readers to the rebuilt generation: one commit to the meta table. */
  async commitRebuild(meta: Partial<StoreMeta>, now: Date): Promise<void> {
    const to = this.writing;
    if (to === null) throw new Error("commitRebuild without beginRebuild");
    const from = (await this.readMeta())?.generation ?? null;
    await this.writeMeta({
      ...meta,
      generation: to,
      previousGeneration: from,
      switchedAt: now.toISOString(),
    });
    this.writing = null;
    this.active = { generation: to, at: Date.now() };
  }

  /** After a failed rebuild: back to the active generation (its tables go at the next run). */
  abandonRebuild(): void {
    this.writing = null;
  }

  /**
   * Drops content tables nobody can need: generations older than the active one (except
   * the one a rebuild just replaced, for a grace period) and leftovers of a rebuild that
   * never finished. Call with the ingest lock held.
   */
  async dropStaleGenerations(now: Date): Promise<string[]> {
    const meta = await this.readMeta();
    if (!meta) return [];
    const stale = staleTables(await this.conn.tableNames(), meta, now);
    for (const name of stale) {
      this.tables.get(name)?.close();
      this.tables.delete(name);
      await this.conn.dropTable(name);
    }
    return stale;
  }

  /**
   * Columns added to `documents` after an index was built get their empty value, so an
   * older index keeps working; the parser version makes ingest re-read every file once.
   */
  private async addMissingDocumentColumns(): Promise<void> {
    const t = await this.table(TABLES.documents);
    if (!t) return;
    const have = new Set((await t.schema()).fields.map((f) => f.name));
    if (!have.has("meetings")) await t.addColumns([{ name: "meetings", valueSql: "'[]'" }]);
  }

  /** Document columns present in this index (an older one may lack newer columns). */
  private async documentColumns(t: lancedb.Table, without: string[] = []): Promise<string[]> {
    const have = new Set((await t.schema()).fields.map((f) => f.name));
    return documentsSchema.fields.map((f) => f.name).filter((n) => have.has(n) && !without.includes(n));
  }

  async readMeta(): Promise<StoreMeta | null> {
    const t = await this.table(TABLES.meta);
    if (!t) return null;
    const rows = (await t.query().toArray()) as { key: string; value: string }[];
    const kv = new Map(rows.map((r) => [r.key, r.value]));
    if (!kv.has("embedderId")) return null;
    return {
      schemaVersion: Number(kv.get("schemaVersion") ?? 0),
      embedderId: kv.get("embedderId") ?? "",
      dimensions: Number(kv.get("dimensions") ?? 0),
      docsDir: kv.get("docsDir") || null,
      updatedAt: kv.get("updatedAt") || null,
      generation: Number(kv.get("generation") || 0),
      previousGeneration: kv.get("previousGeneration") ? Number(kv.get("previousGeneration")) : null,
      switchedAt: kv.get("switchedAt") || null,
    };
  }

  async writeMeta(meta: Partial<StoreMeta>): Promise<void> {
    const t = await this.requireTable(TABLES.meta);
    const rows = Object.entries({ ...meta, schemaVersion: meta.schemaVersion ?? SCHEMA_VERSION })
      .filter(([, v]) => v !== undefined)
      .map(([key, value]) => ({ key, value: value === null ? "" : String(value) }));
    await t.mergeInsert("key").whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(rows);
  }

  async documentStates(): Promise<DocumentState[]> {
    const t = await this.table(TABLES.documents);
    if (!t) return [];
    return (await t
      .query()
      .select(["id", "source", "fingerprint", "size", "mtimeMs"])
      .toArray()) as DocumentState[];
  }

  /** docIds that have chunks: lets ingest spot chunks left by a killed run. */
  async chunkDocIds(): Promise<Set<string>> {
    const t = await this.table(TABLES.chunks);
    if (!t) return new Set();
    const rows = (await t.query().select(["docId"]).toArray()) as { docId: string }[];
    return new Set(rows.map((r) => r.docId));
  }

  /**
   * Writes documents so each replaces its previous copy. Per table this is one commit
   * (merge-insert keyed on id that also deletes the documents' leftover rows), so a
   * concurrent reader sees either the old or the new chunks, never both or half.
   * Order matters for crash safety: chunks, glossary, then the document row whose
   * fingerprint marks the work done; a run killed earlier redoes the document.
   */
  async writeDocuments(writes: DocumentWrite[], options: { fresh?: boolean } = {}): Promise<void> {
    if (writes.length === 0) return;
    const ids = writes.map((w) => w.doc.id);
    const chunks = await this.requireTable(TABLES.chunks);
    const chunkRows = chunkBatch(
      writes.flatMap((w) => w.chunks),
      (await chunks.schema()) as ArrowSchema,
    );
    const glossaryRows = writes.flatMap((w) =>
      w.glossary.map((g) => ({ id: `${g.docId}:${g.acronym}:${g.expansion}`, ...g })),
    );
    const docRows = writes.map((w) => ({
      ...w.doc,
      pageOffsets: JSON.stringify(w.doc.pageOffsets),
      meetings: JSON.stringify(w.doc.meetings),
    }));
    if (options.fresh) {
      // Nothing of these documents is stored (checked by the caller): a plain append.
      if (chunkRows.numRows) await chunks.add(chunkRows);
      if (glossaryRows.length) await (await this.requireTable(TABLES.glossary)).add(glossaryRows);
      await (await this.requireTable(TABLES.documents)).add(docRows);
      return;
    }
    const replace = async (table: lancedb.Table, rows: Row[] | ArrowTable) => {
      await table
        .mergeInsert("id")
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .whenNotMatchedBySourceDelete({ where: sqlIn(table === docsT ? "id" : "docId", ids) })
        .execute(rows);
    };
    const docsT = await this.requireTable(TABLES.documents);
    if (chunkRows.numRows) await replace(chunks, chunkRows);
    else await chunks.delete(sqlIn("docId", ids));
    const gl = await this.requireTable(TABLES.glossary);
    if (glossaryRows.length) await replace(gl, glossaryRows);
    else await gl.delete(sqlIn("docId", ids));
    await replace(docsT, docRows);
  }

  async removeDocuments(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const name of [TABLES.chunks, TABLES.glossary]) {
      const t = await this.table(name);
      if (t) await t.delete(sqlIn("docId", ids));
    }
    const docs = await this.table(TABLES.documents);
    if (docs) await docs.delete(sqlIn("id", ids));
  }

  /** After writes: (re)build the full-text index, compact, and index vectors when large. */
  async finalize(options: { changed: boolean }): Promise<void> {
    const chunks = await this.requireTable(TABLES.chunks);
    const indices = await chunks.listIndices();
    const hasFts = indices.some((i) => i.columns.includes("searchText"));
    const rows = await chunks.countRows();
    if (options.changed) {
      // Folds new rows into the indices, compacts small files, prunes versions older than the
      // retention (KKR_VERSION_RETENTION_MIN). A first ingest is compacted too: one file per
      // write batch (68 at 136k chunks) made reading the chosen rows 2.5× slower (10.7 vs
      // 4.1 ms) and vector search 1.6× (6.9 vs 4.3 ms); compacting 136k chunks took 3 s.
      for (const name of [TABLES.chunks, TABLES.documents, TABLES.glossary]) {
        const t = await this.table(name);
        if (t) await t.optimize({ cleanupOlderThan: new Date(Date.now() - this.storeConfig.retentionMs) });
      }
    }
    if (!hasFts && rows > 0) {
      await chunks.createIndex("searchText", { config: lancedb.Index.fts(FTS_OPTIONS), replace: true });
    }
    await this.indexVectors(chunks, indices, rows);
  }

  /**
   * Builds the vector index once the table is large enough, after the rows are written; an
   * incremental ingest folds its rows in through optimize() above, and only a table grown
   * to twice its indexed size (or an index of another kind, from an older version) is rebuilt.
   */
  private async indexVectors(chunks: lancedb.Table, indices: lancedb.IndexConfig[], rows: number) {
    if (rows < VECTOR_INDEX.minRows) return;
    const current = indices.find((i) => i.columns.includes("vector"));
    // optimize() counts folded-in rows as indexed, so the size at the last build is kept in meta
    const builtAt = Number((await this.metaValue(VECTOR_INDEX_ROWS_KEY)) ?? 0);
    if (current?.indexType === "IvfFlat" && rows < VECTOR_INDEX.regrowFactor * builtAt) return;
    await chunks.createIndex("vector", {
      config: lancedb.Index.ivfFlat({ distanceType: "cosine", numPartitions: vectorPartitions(rows) }),
      replace: true,
    });
    await this.setMetaValue(VECTOR_INDEX_ROWS_KEY, String(rows));
  }

  private async metaValue(key: string): Promise<string | null> {
    const t = await this.table(TABLES.meta);
    if (!t) return null;
    const rows = (await t
      .query()
      .where(`key = ${sqlString(key)}`)
      .toArray()) as { value: string }[];
    return rows[0]?.value ?? null;
  }

  private async setMetaValue(key: string, value: string): Promise<void> {
    const t = await this.requireTable(TABLES.meta);
    await t.mergeInsert("key").whenMatchedUpdateAll().whenNotMatchedInsertAll().execute([{ key, value }]);
  }

  // ---- readers -------------------------------------------------------------

  /** The chunk table's indices (name, type, columns): for `kkr stats` and the benchmarks. */
  async indexInfo(): Promise<{ name: string; type: string; columns: string[] }[]> {
    const t = await this.table(TABLES.chunks);
    if (!t) return [];
    return (await t.listIndices()).map((i) => ({ name: i.name, type: i.indexType, columns: i.columns }));
  }

  async counts(): Promise<{ documents: number; chunks: number; glossary: number }> {
    const count = async (name: string) => (await (await this.table(name))?.countRows()) ?? 0;
    return {
      documents: await count(TABLES.documents),
      chunks: await count(TABLES.chunks),
      glossary: await count(TABLES.glossary),
    };
  }

  /**
   * Rows in the chunk table, cached per table version: asking the version is a manifest
   * check, counting reads every fragment's deletion files (measured 2.5–3.5 ms at p95 per ask
   * when all three tables were counted).
   */
  async chunkCount(): Promise<number> {
    const t = await this.table(TABLES.chunks);
    if (!t) return 0;
    const version = await t.version();
    // keyed by table too: a rebuild switches readers to another generation's table
    const cached = this.chunkCountCache;
    if (cached?.table !== t.name || cached.version !== version) {
      this.chunkCountCache = { table: t.name, version, rows: await t.countRows() };
    }
    return this.chunkCountCache?.rows ?? 0;
  }

  async countDocuments(where?: string): Promise<number> {
    const t = await this.table(TABLES.documents);
    return t ? t.countRows(where) : 0;
  }

  /** Documents without their full text (cheap listing). */
  async listDocuments(where?: string): Promise<Omit<StoredDocument, "text">[]> {
    const t = await this.table(TABLES.documents);
    if (!t) return [];
    let q = t.query().select(await this.documentColumns(t, ["text"]));
    if (where) q = q.where(where);
    return ((await q.toArray()) as Row[]).map((r) => toDocument(r) as Omit<StoredDocument, "text">);
  }

  async getDocument(id: string): Promise<StoredDocument | null> {
    const t = await this.table(TABLES.documents);
    if (!t) return null;
    const rows = (await t
      .query()
      .select(await this.documentColumns(t))
      .where(`id = ${sqlString(id)}`)
      .limit(1)
      .toArray()) as Row[];
    const r = rows[0];
    return r ? (toDocument(r) as StoredDocument) : null;
  }

  /** Chunks per document id. */
  async chunkCounts(): Promise<Map<string, number>> {
    const t = await this.table(TABLES.chunks);
    const counts = new Map<string, number>();
    if (!t) return counts;
    for (const r of (await t.query().select(["docId"]).toArray()) as { docId: string }[]) {
      counts.set(r.docId, (counts.get(r.docId) ?? 0) + 1);
    }
    return counts;
  }

  async chunksWhere(where: string, limit = 10_000): Promise<StoredChunk[]> {
    const t = await this.requireTable(TABLES.chunks);
    const rows = await t
      .query()
      .where(where)
      .select([...CHUNK_COLUMNS])
      .limit(limit)
      .toArray();
    return rows.map(toChunk);
  }

  /**
   * BM25 over searchText: phase one of a search, ids and the few columns fusion needs
   * (see CANDIDATE_COLUMNS); `fetchChunks` reads full rows for the survivors only.
   * The query must be plain terms (see retrieval/query.ts).
   */
  async fullTextSearch(query: string, k: number, where?: string): Promise<Candidate[]> {
    const t = await this.requireTable(TABLES.chunks);
    let q = t
      .query()
      .fullTextSearch(query, { columns: ["searchText"] })
      .select([...CANDIDATE_COLUMNS, "_score"])
      .withRowId()
      .limit(k);
    if (where) q = q.where(where);
    const rows = await q.toArray();
    return rows.map((r: Row) => ({ ...toCandidate(r), score: Number(r._score) }));
  }

  /** Nearest chunks by cosine: phase one of a search, like `fullTextSearch`. */
  async vectorSearch(vector: Float32Array, k: number, where?: string): Promise<Candidate[]> {
    const t = await this.requireTable(TABLES.chunks);
    let q = t
      .vectorSearch(vector)
      .distanceType("cosine")
      .nprobes(VECTOR_INDEX.nprobes)
      .select([...CANDIDATE_COLUMNS, "_distance"])
      .withRowId()
      .limit(k);
    if (where) q = q.where(where);
    const rows = await q.toArray();
    return rows.map((r: Row) => ({ ...toCandidate(r), score: 1 - Number(r._distance) }));
  }

  /**
   * Phase two of a search: full rows of the given candidates, by row id (a direct read;
   * `id IN (…)` would scan the id column of the whole table). A write that moved rows since
   * phase one (compaction) is caught by checking the ids, and those rows are read by id.
   */
  async fetchChunks(candidates: Pick<Candidate, "id" | "rowId">[]): Promise<Map<string, StoredChunk>> {
    const out = new Map<string, StoredChunk>();
    if (candidates.length === 0) return out;
    const t = await this.requireTable(TABLES.chunks);
    try {
      const rows = await t
        .takeRowIds(candidates.map((c) => c.rowId))
        .select([...CHUNK_COLUMNS])
        .toArray();
      for (const r of rows as Row[]) out.set(String(r.id), toChunk(r));
    } catch {
      // stale row ids: fall through to the read by id
    }
    const missing = candidates.filter((c) => !out.has(c.id)).map((c) => c.id);
    if (missing.length > 0) {
      for (const c of await this.chunksWhere(sqlIn("id", missing), missing.length)) out.set(c.id, c);
    }
    return out;
  }

  async glossary(): Promise<GlossaryEntry[]> {
    const t = await this.table(TABLES.glossary);
    if (!t) return [];
    return (await t
      .query()
      .select(["acronym", "expansion", "docId", "source", "quote"])
      .toArray()) as GlossaryEntry[];
  }

  /** A table an index built before it existed gets on first write. */
  private async tableOrCreate(name: string, schema: import("apache-arrow").Schema): Promise<lancedb.Table> {
    let t = await this.table(name);
    if (!t) {
      t = await this.conn.createTable(name, [], { schema, mode: "create", existOk: true });
      this.tables.set(name, t);
    }
    return t;
  }

  async addFeedback(row: Record<string, string | null>): Promise<void> {
    await (await this.tableOrCreate(TABLES.feedback, feedbackSchema)).add([row]);
  }

  async channelSetting(channel: string): Promise<ChannelSettingRow | null> {
    const t = await this.table(TABLES.channelSettings);
    if (!t) return null;
    const rows = (await t
      .query()
      .where(`channel = ${sqlString(channel)}`)
      .limit(1)
      .toArray()) as ChannelSettingRow[];
    const r = rows[0];
    return r ? { channel: r.channel, region: r.region, setBy: r.setBy, setAt: r.setAt } : null;
  }

  /** Sets a channel's settings (one row per channel) or, with `region: null`, removes them. */
  async setChannelSetting(channel: string, row: Omit<ChannelSettingRow, "channel"> | null): Promise<void> {
    const t = await this.tableOrCreate(TABLES.channelSettings, channelSettingsSchema);
    if (row === null) {
      await t.delete(`channel = ${sqlString(channel)}`);
      return;
    }
    await t
      .mergeInsert("channel")
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute([{ channel, ...row }]);
  }

  /** Files known to fail under `limits` (see badFilesSchema), by content hash. */
  async badFiles(limits: string): Promise<Map<string, BadFile>> {
    const t = await this.table(TABLES.badFiles);
    if (!t) return new Map();
    const rows = (await t
      .query()
      .where(`limits = ${sqlString(limits)}`)
      .toArray()) as BadFile[];
    return new Map(rows.map((r) => [r.hash, { ...r }]));
  }

  async addBadFile(file: BadFile): Promise<void> {
    let t = await this.table(TABLES.badFiles);
    if (!t) {
      t = await this.conn.createTable(TABLES.badFiles, [], {
        schema: badFilesSchema,
        mode: "create",
        existOk: true,
      });
      this.tables.set(TABLES.badFiles, t);
    }
    await t
      .mergeInsert(["hash", "limits"])
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute([{ ...file }]);
  }

  async feedback(): Promise<Row[]> {
    const t = await this.table(TABLES.feedback);
    return t ? ((await t.query().toArray()) as Row[]) : [];
  }

  /** Bytes on disk for a local index; null for object stores. */
  diskBytes(): number | null {
    const dir = this.localDir;
    return dir && existsSync(dir) ? dirSize(dir) : null;
  }

  close(): void {
    for (const t of this.tables.values()) t.close();
    this.tables.clear();
    this.conn.close();
  }
}

/**
 * Chunk rows as one Arrow batch, column by column: measured 2–3× faster to write than row
 * objects (LanceDB would infer and convert them, copying each vector into a JS array).
 */
function chunkBatch(chunks: DocumentWrite["chunks"], schema: ArrowSchema): ArrowTable {
  const { makeData, vectorFromArray, Table, Struct, RecordBatch } = arrow;
  const columns = new Map<string, unknown[]>();
  for (const f of schema.fields) if (f.name !== "vector") columns.set(f.name, new Array(chunks.length));
  const vectorType = schema.fields.find((f) => f.name === "vector")?.type as { listSize: number } | undefined;
  const dims = vectorType?.listSize ?? 0;
  const flat = new Float32Array(chunks.length * dims);
  chunks.forEach(({ subsections, pageBreaks, vector, ...c }, i) => {
    const row: Record<string, unknown> = {
      ...c,
      marks: JSON.stringify({ subsections: subsections ?? [], pageBreaks: pageBreaks ?? [] }),
    };
    for (const [name, values] of columns) values[i] = row[name] ?? null;
    flat.set(vector.subarray(0, dims), i * dims);
  });
  const children = schema.fields.map((f) => {
    if (f.name !== "vector") return vectorFromArray(columns.get(f.name) as never[], f.type).data[0]!;
    const values = makeData({
      type: (f.type as { children: { type: never }[] }).children[0]!.type,
      data: flat,
    });
    return makeData({ type: f.type, length: chunks.length, nullCount: 0, child: values });
  });
  const data = makeData({ type: new Struct(schema.fields), length: chunks.length, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, data)]);
}

function parseMarks(raw: unknown): Pick<StoredChunk, "subsections" | "pageBreaks"> {
  if (typeof raw !== "string" || raw === "") return {};
  try {
    const m = JSON.parse(raw) as Pick<StoredChunk, "subsections" | "pageBreaks">;
    return {
      ...(m.subsections?.length ? { subsections: m.subsections } : {}),
      ...(m.pageBreaks?.length ? { pageBreaks: m.pageBreaks } : {}),
    };
  } catch {
    return {};
  }
}

/** Kind "other" of indexes built before the page kinds existed reads as "side". */
const kindOf = (v: unknown): DocKind => (v === "other" || typeof v !== "string" ? "side" : (v as DocKind));

function parseJson<T>(raw: unknown, fallback: T): T {
  if (typeof raw !== "string" || raw === "") return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

function toDocument(r: Row): Omit<StoredDocument, "text"> & { text?: string } {
  return {
    ...(r as unknown as StoredDocument),
    kind: kindOf(r.kind),
    pageOffsets: parseJson<number[]>(r.pageOffsets, []),
    meetings: parseJson<DocumentMeeting[]>(r.meetings, []),
  };
}

function toCandidate(r: Row): Omit<Candidate, "score"> {
  return {
    id: String(r.id),
    docId: String(r.docId),
    start: Number(r.start),
    end: Number(r.end),
    region: (r.region as StoredChunk["region"]) ?? null,
    kind: kindOf(r.kind),
    date: (r.date as string | null) ?? null,
    rowId: BigInt(r._rowid as bigint | number),
  };
}

function toChunk(r: Row): StoredChunk {
  return {
    id: String(r.id),
    docId: String(r.docId),
    ordinal: Number(r.ordinal),
    section: String(r.section ?? ""),
    item: (r.item as string | null) ?? null,
    page: r.page === null || r.page === undefined ? null : Number(r.page),
    start: Number(r.start),
    end: Number(r.end),
    text: String(r.text),
    ...parseMarks(r.marks),
    source: String(r.source),
    title: String(r.title),
    region: (r.region as StoredChunk["region"]) ?? null,
    kind: kindOf(r.kind),
    date: (r.date as string | null) ?? null,
    year: r.year === null || r.year === undefined ? null : Number(r.year),
    url: (r.url as string | null) ?? null,
    // not stored twice on the way out: it is derived from these columns (ingest writes
    // the same string for BM25), so queries needn't read the widest column
    searchText: searchTextFor(String(r.title), String(r.section ?? ""), String(r.text)),
  };
}
