import { TABLES } from "./schema.js";

/**
 * The content tables (documents, chunks, glossary) come in generations, so a rebuild can
 * fill a new set while readers keep using the old one, then switch with one commit to the
 * meta table. Generation 0 keeps the plain names (indexes built before generations exist
 * stay valid); generation N uses `chunks_gN` and so on.
 */
export const CONTENT_TABLES: ReadonlySet<string> = new Set([
  TABLES.documents,
  TABLES.chunks,
  TABLES.glossary,
]);

/** How long a superseded generation is kept for readers still using it. */
export const PREVIOUS_GENERATION_GRACE_MS = 60_000;

export function generationTable(base: string, generation: number): string {
  return generation === 0 ? base : `${base}_g${generation}`;
}

/** The generation a content table belongs to, or null for any other table. */
export function generationOf(name: string): number | null {
  if (CONTENT_TABLES.has(name)) return 0;
  const m = /^([a-z]+)_g(\d+)$/.exec(name);
  return m && CONTENT_TABLES.has(m[1] ?? "") ? Number(m[2]) : null;
}

/** Content tables no reader can need: neither the active generation nor a recent previous one. */
export function staleTables(
  names: string[],
  meta: { generation: number; previousGeneration: number | null; switchedAt: string | null },
  now: Date,
): string[] {
  const switched = meta.switchedAt ? Date.parse(meta.switchedAt) : Number.NaN;
  const keepPrevious =
    meta.previousGeneration !== null &&
    !(Number.isFinite(switched) && now.getTime() - switched > PREVIOUS_GENERATION_GRACE_MS);
  return names.filter((name) => {
    const g = generationOf(name);
    if (g === null || g === meta.generation) return false;
    return !(keepPrevious && g === meta.previousGeneration);
  });
}
