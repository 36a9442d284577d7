/**
 * The sidecar (NAME.pdf.json) the sync writes next to each document. Its top-level fields
 * are the ones ingest reads (ingest/sidecar.ts: url, region, kind, meetingDate): the url
 * is what answers cite. Everything only the sync needs — link text, page context, fetch
 * time, ETag, Last-Modified, hash — sits under `sync`, which ingest ignores, so a
 * re-fetch that changes only those never re-embeds the document.
 */
import { randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { z } from "zod";
import type { DocKind, Region } from "../types.js";

export interface SyncRecord {
  /** Source name in kkr.sources.json. */
  source: string;
  /** The page the link was found on. */
  page: string;
  linkText: string;
  /** "Dagsorden", "Referat", "Bilag", or null. */
  role: string | null;
  /** The heading or "KKR X holdt møde den …" text the link stands under. */
  context: string | null;
  headings: string[];
  fetchedAt: string;
  etag: string | null;
  lastModified: string | null;
  contentType: string | null;
  bytes: number;
  sha256: string;
  /** When the sync first saved this url. */
  firstSeenAt: string;
}

export interface SyncSidecar {
  url: string;
  region?: Region | null;
  kind?: DocKind;
  meetingDate?: string | null;
  sync: SyncRecord;
}

const syncRecordSchema = z.object({
  source: z.string(),
  page: z.string(),
  linkText: z.string(),
  role: z.string().nullable(),
  context: z.string().nullable(),
  headings: z.array(z.string()),
  fetchedAt: z.string(),
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  contentType: z.string().nullable(),
  bytes: z.number(),
  sha256: z.string(),
  firstSeenAt: z.string(),
});

const sidecarSchema = z.looseObject({ url: z.string(), sync: syncRecordSchema });

/** A document the sync saved before: its file (relative to the source folder) and sidecar. */
export interface LocalDocument {
  file: string;
  sidecar: SyncSidecar;
}

export const sidecarPathFor = (docPath: string) => `${docPath}.json`;

/** Writes a file so that readers see the old or the new content, never a part. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${posix.basename(path)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function writeSidecar(docPath: string, sidecar: SyncSidecar): Promise<void> {
  await writeFileAtomic(sidecarPathFor(docPath), `${JSON.stringify(sidecar, null, 2)}\n`);
}

/**
 * Every document the sync saved in `folder` (a source's folder), keyed by url. Sidecars
 * not written by the sync, or whose document is gone, are left alone.
 */
export async function readLocalDocuments(folder: string): Promise<Map<string, LocalDocument>> {
  const out = new Map<string, LocalDocument>();
  let names: string[];
  try {
    names = (await readdir(folder, { recursive: true })).map((n) => n.replace(/\\/g, "/"));
  } catch {
    return out; // first sync of this source
  }
  const present = new Set(names);
  for (const name of names.sort()) {
    if (!name.endsWith(".json") || name.split("/").some((s) => s.startsWith("."))) continue;
    const file = name.slice(0, -".json".length);
    if (!present.has(file)) continue;
    let value: unknown;
    try {
      value = JSON.parse(await readFile(join(folder, name), "utf8"));
    } catch {
      continue;
    }
    const parsed = sidecarSchema.safeParse(value);
    if (parsed.success) out.set(parsed.data.url, { file, sidecar: parsed.data as unknown as SyncSidecar });
  }
  return out;
}
