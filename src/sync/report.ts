/**
 * What a sync did: pages visited, documents new/changed/unchanged/failed with reasons, the
 * incremental ingest after it. `toJson` is the stable `kkr sync --json` shape; `renderReport`
 * is the summary a person reads.
 */
import type { IngestSummary } from "../../ingest/pipeline.js";
import type { SyncSidecar } from "./sync-sidecar.js";

export type DocumentStatus = "new" | "changed" | "unchanged" | "failed" | "known";

export interface DocumentReport {
  source: string;
  url: string;
  /** Path relative to the documents folder (as the index and citations name it). */
  file: string;
  status: DocumentStatus;
  reason?: string;
  /** The sidecar written or kept (not in the JSON). */
  sidecar?: SyncSidecar;
}

export interface SourceReport {
  name: string;
  pages: number;
  /** The source's first sync: what it finds is the starting point, not news to announce. */
  baseline: boolean;
  /** Every page could be read (a document missing from the site may be pruned). */
  complete: boolean;
}

export interface SyncReport {
  dryRun: boolean;
  pages: number;
  documents: DocumentReport[];
  /** Pages and documents that could not be fetched or were refused, with why. */
  failed: { source: string; url: string; reason: string }[];
  /** Documents saved before that the site no longer links to (kept unless --prune). */
  gone: { source: string; url: string; file: string }[];
  pruned: string[];
  sources: SourceReport[];
  ingest: IngestSummary | null;
  durationMs: number;
}

const count = (r: SyncReport, status: DocumentStatus) =>
  r.documents.filter((d) => d.status === status).length;

/** `kkr sync --json`: {pages, new, changed, unchanged, failed: [{url, reason}], ingest: {…}} and details. */
export function toJson(r: SyncReport) {
  return {
    dryRun: r.dryRun,
    pages: r.pages,
    new: count(r, "new"),
    changed: count(r, "changed"),
    unchanged: count(r, "unchanged"),
    ...(r.dryRun ? { known: count(r, "known") } : {}),
    failed: r.failed.map(({ url, reason, source }) => ({ url, reason, source })),
    gone: r.gone,
    pruned: r.pruned,
    documents: r.documents.map(({ source, url, file, status, reason }) => ({
      source,
      url,
      file,
      status,
      ...(reason ? { reason } : {}),
    })),
    sources: r.sources,
    ingest: r.ingest
      ? {
          added: r.ingest.added,
          updated: r.ingest.updated,
          unchanged: r.ingest.unchanged,
          removed: r.ingest.removed,
          skipped: r.ingest.skipped,
          chunksEmbedded: r.ingest.chunksEmbedded,
          documents: r.ingest.documents,
          chunks: r.ingest.chunks,
        }
      : null,
    durationMs: r.durationMs,
  };
}

export function renderReport(r: SyncReport): string {
  const lines = [
    `${r.dryRun ? "Dry run: " : ""}visited ${r.pages} pages in ${(r.durationMs / 1000).toFixed(1)} s`,
    r.dryRun
      ? `documents found: ${count(r, "new")} new (would be downloaded), ${count(r, "known")} known (would be re-checked)`
      : `documents: ${count(r, "new")} new, ${count(r, "changed")} changed, ${count(r, "unchanged")} unchanged, ${r.failed.length} failed`,
  ];
  for (const s of r.sources.filter((x) => x.baseline && !r.dryRun)) {
    lines.push(`  ${s.name}: first sync (what it found is not announced)`);
  }
  for (const d of r.documents.filter((x) => x.status === "new" || x.status === "changed")) {
    lines.push(`  ${d.status} ${d.file}`);
  }
  for (const f of r.failed) lines.push(`  failed ${f.url}: ${f.reason}`);
  if (r.gone.length > 0) {
    lines.push(
      r.pruned.length > 0
        ? `removed ${r.pruned.length} documents the sites no longer link to`
        : `${r.gone.length} documents are no longer linked from the sites (kept; --prune removes them)`,
    );
  }
  if (r.ingest) {
    const i = r.ingest;
    lines.push(
      `ingest: added ${i.added.length}, updated ${i.updated.length}, removed ${i.removed.length}, skipped ${i.skipped.length}; embedded ${i.chunksEmbedded} chunks; index holds ${i.documents} documents`,
    );
    for (const k of i.skipped) lines.push(`  skipped ${k.source}: ${k.reason}`);
  }
  return lines.join("\n");
}
