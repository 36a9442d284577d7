/**
 * Containment: nothing outside the documents folder is ever read, indexed or shared.
 * Symbolic links are resolved to real paths and checked against the folder's real path;
 * a file is opened without following a final symlink and, where the OS says which file
 * an open descriptor is (Linux /proc/self/fd), checked again after opening, so swapping
 * a file for a link between the check and the read does not lead outside either.
 */
import { constants } from "node:fs";
import { open, readlink, realpath } from "node:fs/promises";
import { sep } from "node:path";
import { KkrError } from "../errors.js";

/** True when `path` (a real path) is `root` (a real path) or below it. */
export function isInside(root: string, path: string): boolean {
  if (path === root) return true;
  return path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/** The real path of `path` when it exists and lies inside `rootReal`; null otherwise. */
export async function realPathInside(rootReal: string, path: string): Promise<string | null> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return null;
  }
  return isInside(rootReal, real) ? real : null;
}

export class OutsideFolderError extends KkrError {
  constructor(path: string) {
    super(
      "PARSE_FAILED",
      "symbolic link to a place outside the documents folder (not followed; copy the file into the folder instead)",
      { details: { path } },
    );
  }
}

/**
 * Reads a file that must lie inside `rootReal` (a real path). Throws OutsideFolderError
 * when it (or a link on the way) leads outside; other errors are the usual fs errors.
 */
export async function readFileInside(rootReal: string, path: string): Promise<Buffer> {
  const real = await realpath(path);
  if (!isInside(rootReal, real)) throw new OutsideFolderError(path);
  // O_NOFOLLOW: if the file became a link after realpath, the open fails (ELOOP).
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => null);
    if (opened?.startsWith("/") && !isInside(rootReal, opened)) {
      throw new OutsideFolderError(path);
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
