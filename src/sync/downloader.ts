/**
 * Downloads one document into the source's folder: a conditional request when we have it
 * (If-None-Match / If-Modified-Since), content-type, signature and size checks before
 * anything is kept, the body streamed to a hidden temp file and renamed over the old one
 * only when complete — a cut-off or refused download never replaces a good file.
 */
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { describeError } from "../errors.js";
import type { FoundDocument } from "./crawler.js";
import { BodyError, type FetchedResponse, type Fetcher } from "./fetcher.js";
import type { SyncRecord, SyncSidecar } from "./sync-sidecar.js";
import { type LocalDocument, writeSidecar } from "./sync-sidecar.js";

export type DownloadStatus = "new" | "changed" | "unchanged" | "failed";

export interface DownloadOutcome {
  url: string;
  /** Path relative to the source folder. */
  file: string;
  status: DownloadStatus;
  reason?: string;
  sidecar?: SyncSidecar;
}

export interface DownloadOptions {
  fetcher: Fetcher;
  allow: (url: URL) => Promise<string | null>;
  delayMs: (url: URL) => Promise<number>;
  /** Absolute path of the source's folder. */
  folder: string;
  source: { name: string; region: SyncSidecar["region"] | null };
  maxBytes: number;
  now: () => Date;
  signal?: AbortSignal;
}

const mb = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** Content types acceptable for a document of each extension (octet-stream: the signature decides). */
const TYPES: Record<string, RegExp> = {
  ".pdf": /^(?:application\/(?:x-)?pdf|application\/octet-stream|binary\/octet-stream)\b/i,
  ".html": /^(?:text\/html|application\/xhtml\+xml)\b/i,
  ".htm": /^(?:text\/html|application\/xhtml\+xml)\b/i,
  ".txt": /^(?:text\/plain|application\/octet-stream)\b/i,
  ".md": /^(?:text\/(?:plain|markdown|x-markdown)|application\/octet-stream)\b/i,
  ".markdown": /^(?:text\/(?:plain|markdown|x-markdown)|application\/octet-stream)\b/i,
};
const KIND_NAMES: Record<string, string> = {
  ".pdf": "a PDF",
  ".html": "an HTML page",
  ".htm": "an HTML page",
};

class Refused extends Error {}

function checkHeaders(response: FetchedResponse, ext: string, maxBytes: number): void {
  const type = (response.headers.get("content-type") ?? "").trim();
  const accepted = TYPES[ext];
  if (type !== "" && accepted && !accepted.test(type)) {
    const what = /^text\/html\b/i.test(type) ? "an HTML page" : type.split(";")[0];
    throw new Refused(
      `expected ${KIND_NAMES[ext] ?? ext} but the server sent ${what} (${type.split(";")[0]})`,
    );
  }
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(length) && length > maxBytes) {
    throw new Refused(
      `file is ${mb(length)}, over the ${mb(maxBytes)} cap; raise KKR_MAX_FILE_MB to fetch it`,
    );
  }
}

interface Downloaded {
  temp: string;
  sha256: string;
  bytes: number;
  headers: Headers;
}

/** Streams the body into a hidden temp file next to `target`; removes it on any failure. */
async function saveToTemp(
  response: FetchedResponse,
  target: string,
  ext: string,
  maxBytes: number,
): Promise<Downloaded> {
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${posix.basename(target)}.${randomBytes(4).toString("hex")}.part`);
  const out = createWriteStream(temp);
  const hash = createHash("sha256");
  let bytes = 0;
  let head = Buffer.alloc(0);
  try {
    for await (const chunk of response.chunks()) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        throw new Refused(`file is over the ${mb(maxBytes)} cap; raise KKR_MAX_FILE_MB to fetch it`);
      }
      if (head.length < 1024) head = Buffer.concat([head, chunk]).subarray(0, 1024);
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    const expected = Number(response.headers.get("content-length") ?? Number.NaN);
    if (Number.isFinite(expected) && !response.headers.get("content-encoding") && bytes !== expected) {
      throw new Refused(`download cut off: got ${bytes} of ${expected} bytes`);
    }
    if (bytes === 0) throw new Refused("the server sent an empty file");
    if (ext === ".pdf" && !head.includes("%PDF-")) {
      const what = /^\s*</.test(head.toString("latin1")) ? "an HTML page" : "something else";
      throw new Refused(`expected a PDF but the server sent ${what} (no %PDF signature)`);
    }
    return { temp, sha256: hash.digest("hex"), bytes, headers: response.headers };
  } catch (error) {
    // The stream opens its file asynchronously: removing the file before that open has
    // happened left the .part behind on a busy machine. Wait until it is closed.
    if (!out.closed) {
      await new Promise<void>((resolve) => {
        out.once("close", () => resolve());
        out.destroy();
      });
    }
    await rm(temp, { force: true });
    throw error;
  }
}

function syncRecord(
  doc: FoundDocument,
  options: DownloadOptions,
  previous: LocalDocument | undefined,
  fetched: { sha256: string; bytes: number; headers: Headers | null },
): SyncRecord {
  const at = options.now().toISOString();
  const old = previous?.sidecar.sync;
  const header = (name: string) => fetched.headers?.get(name) ?? null;
  return {
    source: options.source.name,
    page: doc.foundOn,
    linkText: doc.context?.link.text ?? old?.linkText ?? "",
    role: doc.context?.role ?? old?.role ?? null,
    context: doc.context?.context ?? old?.context ?? null,
    headings: doc.context?.headings ?? old?.headings ?? [],
    fetchedAt: fetched.headers ? at : (old?.fetchedAt ?? at),
    etag: fetched.headers ? header("etag") : (old?.etag ?? null),
    lastModified: fetched.headers ? header("last-modified") : (old?.lastModified ?? null),
    contentType: fetched.headers ? header("content-type") : (old?.contentType ?? null),
    bytes: fetched.bytes,
    sha256: fetched.sha256,
    firstSeenAt: old?.firstSeenAt ?? at,
  };
}

/** The sidecar: what ingest reads (url, region, kind, meeting date) plus the sync's own record. */
export function buildSidecar(
  doc: FoundDocument,
  sourceRegion: SyncSidecar["region"] | null,
  sync: SyncRecord,
) {
  const ctx = doc.context;
  const region = sourceRegion && sourceRegion !== "all" ? sourceRegion : (ctx?.region ?? sourceRegion);
  const sidecar: SyncSidecar = { url: doc.url, sync };
  if (region) sidecar.region = region;
  if (ctx?.role === "dagsorden" || ctx?.role === "referat") sidecar.kind = ctx.role;
  if (ctx?.meetingDate) sidecar.meetingDate = ctx.meetingDate;
  return sidecar;
}

/** Fields whose change must reach the index or the sidecar's description of the link. */
const describes = (s: SyncSidecar) =>
  JSON.stringify([
    s.url,
    s.region,
    s.kind,
    s.meetingDate,
    s.sync.page,
    s.sync.linkText,
    s.sync.context,
    s.sync.role,
  ]);

export async function downloadDocument(
  doc: FoundDocument,
  previous: LocalDocument | undefined,
  file: string,
  options: DownloadOptions,
): Promise<DownloadOutcome> {
  const target = join(options.folder, file);
  const headers: Record<string, string> = {
    accept: doc.type === "page" ? "text/html,application/xhtml+xml" : "application/pdf,*/*;q=0.5",
  };
  const old = previous?.sidecar.sync;
  if (old?.etag) headers["if-none-match"] = old.etag;
  if (old?.lastModified) headers["if-modified-since"] = old.lastModified;
  const fail = (reason: string): DownloadOutcome => ({ url: doc.url, file, status: "failed", reason });

  let result: Awaited<ReturnType<typeof options.fetcher.get<Downloaded | "not-modified">>>;
  try {
    result = await options.fetcher.get(
      doc.url,
      {
        delayMs: options.delayMs,
        allow: options.allow,
        headers,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      async (response) => {
        if (response.status === 304) return "not-modified" as const;
        checkHeaders(response, doc.ext, options.maxBytes);
        return saveToTemp(response, target, doc.ext, options.maxBytes);
      },
    );
  } catch (error) {
    options.signal?.throwIfAborted();
    if (error instanceof Refused || error instanceof BodyError) return fail(error.message);
    return fail(describeError(error));
  }
  if (!result.ok) return fail(result.reason);

  if (result.value === "not-modified") {
    if (!previous) return fail("the server answered 304 Not Modified to an unconditional request");
    const sidecar = buildSidecar(
      doc,
      options.source.region,
      syncRecord(doc, options, previous, {
        sha256: previous.sidecar.sync.sha256,
        bytes: previous.sidecar.sync.bytes,
        headers: null,
      }),
    );
    // Only a new description of the link is written; a plain 304 touches nothing.
    if (describes(sidecar) !== describes(previous.sidecar)) await writeSidecar(target, sidecar);
    return { url: doc.url, file, status: "unchanged", sidecar };
  }

  const downloaded = result.value;
  const sidecar = buildSidecar(doc, options.source.region, syncRecord(doc, options, previous, downloaded));
  if (previous && previous.sidecar.sync.sha256 === downloaded.sha256) {
    // Same bytes (a server without validators, or a new ETag for old content): keep the file.
    await rm(downloaded.temp, { force: true });
    const validators = (s: SyncSidecar) => `${s.sync.etag}|${s.sync.lastModified}`;
    if (
      describes(sidecar) !== describes(previous.sidecar) ||
      validators(sidecar) !== validators(previous.sidecar)
    ) {
      await writeSidecar(target, sidecar);
    }
    return { url: doc.url, file, status: "unchanged", sidecar };
  }
  try {
    await rename(downloaded.temp, target);
  } catch (error) {
    await rm(downloaded.temp, { force: true });
    return fail(`could not save the file: ${describeError(error)}`);
  }
  await writeSidecar(target, sidecar);
  return { url: doc.url, file, status: previous ? "changed" : "new", sidecar };
}
