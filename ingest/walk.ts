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
  /**
   * Paths (files, folders, broken links) that exist but could not be read. Indexed
   * documents at or below them are not known to be gone, so ingest keeps them.
   */
  unreadable: string[];
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
  const w: Walk = {
    rootReal: await realpath(root),
    files: [],
    skipped: [],
    unreadable: [],
    seen: new Set(),
  };
  await visitFolder(w, root, "");
  // Code-unit order: the same on every machine and locale, so runs and tests are repeatable.
  w.files.sort((a, b) => byCodeUnit(a.source, b.source));
  w.skipped.sort((a, b) => byCodeUnit(a.source, b.source));
  w.unreadable.sort(byCodeUnit);
  return { rootReal: w.rootReal, files: w.files, skipped: w.skipped, unreadable: w.unreadable };
}

interface Walk extends WalkResult {
  /**
   * Real paths of folders already walked: a symlink back up the tree (or to a folder seen
   * twice) is not descended again, so loops end and nothing is listed twice.
   */
  seen: Set<string>;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Something that exists but could not be read: skipped, and its indexed documents kept. */
function unreadable(w: Walk, source: string, reason: string): void {
  w.skipped.push({ source, reason });
  w.unreadable.push(source);
}

/** A folder entry whose name is known to be valid UTF-8. */
type Entry = Pick<Dirent, "isDirectory" | "isFile" | "isSymbolicLink"> & { name: string };

async function visitFolder(w: Walk, absDir: string, rel: string): Promise<void> {
  let entries: Entry[];
  try {
    const real = await realpath(absDir);
    if (w.seen.has(real)) return;
    w.seen.add(real);
    entries = utf8Entries(w, await readdir(absDir, { withFileTypes: true, encoding: "buffer" }), rel);
  } catch (error) {
    if (rel === "") throw unreadableRoot(absDir, error);
    unreadable(w, rel, `cannot read folder: ${describeError(error)}`);
    return;
  }
  const names = new Set(entries.map((e) => e.name));
  for (const entry of entries) {
    if (isHidden(entry.name)) continue;
    const absPath = join(absDir, entry.name);
    const source = rel ? `${rel}/${entry.name}` : entry.name;
    const kind = await entryKind(w, entry, absPath, source);
    if (kind === "folder") await visitFolder(w, absPath, source);
    else if (kind === "file") await visitFile(w, entry.name, absPath, source, names, rel);
  }
}

/**
 * Entries with their names as text, sorted (so which of two paths to one folder is walked
 * does not depend on the disk). Names are read as bytes: one that is not UTF-8 (Latin-1
 * from an old system or a zip) would otherwise be mangled into a name no file has, and
 * fail later as "not found"; it is skipped here saying why.
 */
function utf8Entries(w: Walk, raw: Dirent<Buffer>[], rel: string): Entry[] {
  const out: Entry[] = [];
  for (const e of raw) {
    const name = e.name.toString("utf8");
    if (!Buffer.from(name, "utf8").equals(e.name)) {
      if (!isHidden(name)) {
        w.skipped.push({
          source: rel ? `${rel}/${name}` : name,
          reason: `the name is not valid UTF-8 (bytes ${e.name.toString("hex")}); rename the ${e.isDirectory() ? "folder" : "file"} to index it`,
        });
      }
      continue;
    }
    out.push({
      name,
      isDirectory: () => e.isDirectory(),
      isFile: () => e.isFile(),
      isSymbolicLink: () => e.isSymbolicLink(),
    });
  }
  return out.sort((a, b) => byCodeUnit(a.name, b.name));
}

/** What an entry is, following a symbolic link only when it stays inside the folder. */
async function entryKind(
  w: Walk,
  entry: Entry,
  absPath: string,
  source: string,
): Promise<"folder" | "file" | null> {
  if (!entry.isSymbolicLink()) return entry.isDirectory() ? "folder" : entry.isFile() ? "file" : null;
  let target: Awaited<ReturnType<typeof stat>>;
  let real: string;
  try {
    target = await stat(absPath);
    real = await realpath(absPath);
  } catch {
    // e.g. a link to a share that is not mounted right now: keep what was indexed from it
    unreadable(w, source, "broken symbolic link");
    return null;
  }
  if (!isInside(w.rootReal, real)) {
    w.skipped.push({
      source,
      reason: "symbolic link to a place outside the documents folder (not followed)",
    });
    return null;
  }
  // sockets, FIFOs: not documents and not worth a line
  return target.isDirectory() ? "folder" : target.isFile() ? "file" : null;
}

/** The top folder must be listable; anything below it that can't be read is skipped instead. */
function unreadableRoot(root: string, error: unknown): KkrError {
  return new KkrError(
    "DOCS_DIR_UNREADABLE",
    `Cannot read the documents folder ${root}: ${describeError(error)}. ` +
      "Check its permissions (or that the share is mounted), or point KKR_DOCS_DIR / `kkr ingest DIR` at another folder.",
    { cause: error },
  );
}

async function visitFile(
  w: Walk,
  name: string,
  absPath: string,
  source: string,
  names: ReadonlySet<string>,
  rel: string,
): Promise<void> {
  const lower = name.toLowerCase();
  if (lower === SOURCES_CSV && rel === "") return;
  if (isJsonSidecarName(name, names)) return;
  if (formatForPath(name) === null) {
    w.skipped.push({
      source,
      reason:
        lower === SOURCES_CSV
          ? `unsupported file type .csv (${SOURCES_CSV} is only read from the top folder)`
          : unsupportedReason(name),
    });
    return;
  }
  try {
    const info = await stat(absPath);
    w.files.push({ absPath, source, size: info.size, mtimeMs: info.mtimeMs, ext: extname(lower) });
  } catch (error) {
    unreadable(w, source, `cannot read file: ${describeError(error)}`);
  }
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
