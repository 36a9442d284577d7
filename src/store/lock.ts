import { createHash, randomUUID } from "node:crypto";
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { KkrError } from "../errors.js";
import { readOnlyError } from "./read-only.js";

/**
 * One writer at a time per local index: an exclusive lock file created with O_EXCL.
 * A lock left by a process that died on this host is taken over, so a killed ingest
 * never blocks the next one. Object-store URIs can't be locked this way (callers skip).
 *
 * Taking over is atomic: of several processes that find the same dead owner's lock, only
 * the one that exclusively creates a marker named after that lock's content may replace
 * it, and it re-reads the lock under the marker before renaming its own over it. (Reading,
 * deleting and re-creating, as before, let two takers each delete the other's new lock.)
 */
export interface IngestLock {
  release(): void;
}

interface LockInfo {
  pid: number;
  host: string;
  since: string;
  /** Makes each lock's content unique, so "the same lock" can be checked by content. */
  nonce?: string;
}

/** A marker whose taker died mid-takeover (a crash within milliseconds) is cleared after this. */
const MARKER_STALE_MS = 30_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function acquireIngestLock(dbDir: string, now: () => Date = () => new Date()): IngestLock {
  try {
    mkdirSync(dbDir, { recursive: true });
    return takeLock(join(dbDir, ".kkr-ingest.lock"), now);
  } catch (error) {
    throw readOnlyError(dbDir, error) ?? error;
  }
}

function takeLock(path: string, now: () => Date): IngestLock {
  const mine = JSON.stringify({
    pid: process.pid,
    host: hostname(),
    since: now().toISOString(),
    nonce: randomUUID(),
  } satisfies LockInfo);
  let holder: LockInfo | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createWhole(path, mine)) return heldLock(path, mine);
    const raw = readOrNull(path);
    if (raw === null) continue; // released meanwhile: try again
    holder = parseLock(raw);
    const stale = holder === null || (holder.host === hostname() && !alive(holder.pid));
    if (!stale) break;
    if (takeOver(path, raw, mine)) return heldLock(path, mine);
  }
  throw new KkrError(
    "INGEST_LOCKED",
    `Another ingest is running on this index (pid ${holder?.pid} on ${holder?.host}, since ${holder?.since}). ` +
      `Wait for it to finish; if no ingest is running, delete ${path}.`,
  );
}

/** Replaces the stale lock whose content is `stale` with `mine`; false when another taker won. */
function takeOver(path: string, stale: string, mine: string): boolean {
  const id = createHash("sha256").update(stale).digest("hex").slice(0, 16);
  const marker = `${path}.takeover-${id}`;
  if (!createExclusive(marker, String(process.pid))) {
    clearDeadMarker(marker);
    return false;
  }
  try {
    // under the marker no other taker of this lock can act; the owner is dead and a
    // normal acquirer can't create over an existing file: if it is still the stale
    // lock, nobody else can change it before the rename
    if (readOrNull(path) !== stale) return false;
    const tmp = `${path}.${process.pid}.${randomUUID()}`;
    writeFileSync(tmp, mine);
    renameSync(tmp, path);
    return true;
  } finally {
    rmSync(marker, { force: true });
  }
}

/** A marker left by a taker that died mid-takeover would block takeovers for good. */
function clearDeadMarker(marker: string): void {
  try {
    const pid = Number(readFileSync(marker, "utf8"));
    const age = Date.now() - statSync(marker).mtimeMs;
    if (age > MARKER_STALE_MS && !alive(pid)) rmSync(marker, { force: true });
  } catch {
    // gone already
  }
}

/**
 * Creates `path` with `content` only if it does not exist, and never visible half-written:
 * the content goes to a temporary file that is then hard-linked into place (link fails
 * when the name exists). A half-written lock would look stale and be taken over.
 */
function createWhole(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${randomUUID()}`;
  writeFileSync(tmp, content);
  try {
    linkSync(tmp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    // a file system without hard links: plain exclusive create (a tiny half-written window)
    if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS") return createExclusive(path, content);
    throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function parseLock(raw: string): LockInfo | null {
  try {
    return JSON.parse(raw) as LockInfo;
  } catch {
    return null; // damaged (locks are never visible half-written): stale
  }
}

function heldLock(path: string, mine: string): IngestLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    // only our own lock: never delete one that is not ours
    if (readOrNull(path) === mine) rmSync(path, { force: true });
    process.off("exit", release);
  };
  process.on("exit", release);
  return { release };
}
