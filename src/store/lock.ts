import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { KkrError } from "../errors.js";

/**
 * One writer at a time per local index: an exclusive lock file created with O_EXCL.
 * A lock left by a process that died on this host is taken over, so a killed ingest
 * never blocks the next one. Object-store URIs can't be locked this way (callers skip).
 */
export interface IngestLock {
  /** Object-store locks release over the network: await it where you can. */
  release(): void | Promise<void>;
}

interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function acquireIngestLock(dbDir: string, now: () => Date = () => new Date()): IngestLock {
  mkdirSync(dbDir, { recursive: true });
  const path = join(dbDir, ".kkr-ingest.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      const info: LockInfo = { pid: process.pid, host: hostname(), since: now().toISOString() };
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
        process.off("exit", release);
      };
      process.on("exit", release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let info: LockInfo | null = null;
      try {
        info = JSON.parse(readFileSync(path, "utf8")) as LockInfo;
      } catch {
        // half-written by a process killed between open and write: stale
      }
      const stale = info === null || (info.host === hostname() && !alive(info.pid));
      if (stale && attempt === 0) {
        rmSync(path, { force: true });
        continue;
      }
      throw new KkrError(
        "INGEST_LOCKED",
        `Another ingest is running on this index (pid ${info?.pid} on ${info?.host}, since ${info?.since}). ` +
          `Wait for it to finish; if no ingest is running, delete ${path}.`,
      );
    }
  }
  throw new KkrError("INGEST_LOCKED", `Could not lock ${path}.`);
}
