/**
 * Finds the documents under a folder. Sidecars and dotfiles are left out silently (they
 * are not documents); anything else we cannot read is reported so the user sees why a
 * file is missing from the index.
 */
import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { describeError, KkrError } from "../src/errors.js";
import { isInside } from "../src/files/inside-folder.js";
import { formatForPath, unsupportedReason } from "./extract.js";

export interface FoundFile {
  absPath: string;
  /** Path relative to the walked folder, with forward slashes. */
  source: string;
  size: number;
  mtimeMs: number;
  /** Lower-case extension with the dot, e.g. ".pdf". */
  ext: string;
}

export interface WalkResult {
  /** Real path of the walked folder: every file listed lies inside it. */
  rootReal: string;
  files: FoundFile[];
  skipped: { source: string; reason: string }[];
}

/** The sources.csv sidecar is only read from the top of the folder. */
export const SOURCES_CSV = "sources.csv";

/**
 * True when `name` is a JSON sidecar for a document in the same folder: `foo.pdf.json`
 * (full name) or `foo.json` (same stem). `names` are the other entries of that folder.
 */
export function isJsonSidecarName(name: string, names: ReadonlySet<string>): boolean {
  if (!name.toLowerCase().endsWith(".json")) return false;
  const base = name.slice(0, -".json".length);
  if (names.has(base) && formatForPath(base) !== null) return true;
  for (const other of names) {
    if (other !== name && formatForPath(other) !== null && stem(other) === base) return true;
  }
  return false;
}

const stem = (name: string) => name.slice(0, name.length - extname(name).length);

const isHidden = (name: string) => name.startsWith(".");

/**
 * Symbolic links are followed only when their target lies inside the folder (a link to
 * /etc/passwd, to `..` or to a share elsewhere is skipped with a reason), so a file
 * dropped into the folder can't make the bot read, index or share anything outside it.
 */
export async function walkDocuments(dir: string): Promise<WalkResult> {
  const root = resolve(dir);
  await assertDirectory(root, dir);
  const rootReal = await realpath(root);
  const files: FoundFile[] = [];
  const skipped: WalkResult["skipped"] = [];
  // Real paths of folders already walked: a symlink back up the tree (or to a folder seen
  // twice) is not descended again, so loops end and nothing is listed twice.
  const seen = new Set<string>();

  const visit = async (absDir: string, rel: string): Promise<void> => {
    const real = await realpath(absDir);
    if (seen.has(real)) return;
    seen.add(real);
    let entries: Dirent[];
    try {
      entries = await readdir(absDir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ source: rel || ".", reason: `cannot read folder: ${describeError(error)}` });
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    for (const entry of entries) {
      if (isHidden(entry.name)) continue;
      const absPath = join(absDir, entry.name);
      const source = rel ? `${rel}/${entry.name}` : entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: Awaited<ReturnType<typeof stat>>;
        let real: string;
        try {
          target = await stat(absPath);
          real = await realpath(absPath);
        } catch {
          skipped.push({ source, reason: "broken symbolic link" });
          continue;
        }
        if (!isInside(rootReal, real)) {
          skipped.push({
            source,
            reason: "symbolic link to a place outside the documents folder (not followed)",
          });
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
      }
      if (isDir) {
        await visit(absPath, source);
        continue;
      }
      if (!isFile) continue; // sockets, FIFOs: not documents and not worth a line
      const lower = entry.name.toLowerCase();
      if (lower === SOURCES_CSV && rel === "") continue;
      if (isJsonSidecarName(entry.name, names)) continue;
      if (formatForPath(entry.name) === null) {
        skipped.push({
          source,
          reason:
            lower === SOURCES_CSV
              ? `unsupported file type .csv (${SOURCES_CSV} is only read from the top folder)`
              : unsupportedReason(entry.name),
        });
        continue;
      }
      try {
        const info = await stat(absPath);
        files.push({ absPath, source, size: info.size, mtimeMs: info.mtimeMs, ext: extname(lower) });
      } catch (error) {
        skipped.push({ source, reason: `cannot read file: ${describeError(error)}` });
      }
    }
  };

  await visit(root, "");
  // Code-unit order: the same on every machine and locale, so runs and tests are repeatable.
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  files.sort((a, b) => byCodeUnit(a.source, b.source));
  skipped.sort((a, b) => byCodeUnit(a.source, b.source));
  return { rootReal, files, skipped };
}

async function assertDirectory(root: string, given: string): Promise<void> {
  const hint = "Pass a folder to `kkr ingest DIR` or set KKR_DOCS_DIR.";
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(root);
  } catch {
    throw new KkrError("DOCS_DIR_MISSING", `Documents folder not found: ${given} (${root}). ${hint}`);
  }
  if (!info.isDirectory()) {
    throw new KkrError("DOCS_DIR_MISSING", `Documents folder is not a folder: ${given} (${root}). ${hint}`);
  }
}
