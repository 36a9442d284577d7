import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, statSync } from "node:fs";
import { dirname } from "node:path";

const NOBODY = 65534;

/**
 * Runs `work` as an unprivileged user, with `lockedOut` folders unreadable (mode 000).
 * Root reads any folder whatever its mode, so as root the effective uid drops to nobody
 * for the call: `reachable` trees are handed to nobody first (and their parent folders
 * made traversable), `lockedOut` stay root's; `visible` trees stay root's but their
 * parent folders are made traversable (so a mode like 0555 on them is what counts).
 * Everything is put back afterwards.
 */
export async function unprivileged<T>(
  reachable: string[],
  lockedOut: string[],
  work: () => Promise<T>,
  visible: string[] = [],
): Promise<T> {
  const asRoot = process.getuid?.() === 0 && process.seteuid !== undefined && process.setegid !== undefined;
  const modes = new Map<string, number>();
  const setMode = (path: string, mode: number) => {
    if (!modes.has(path)) modes.set(path, statSync(path).mode & 0o7777);
    chmodSync(path, mode);
  };
  const chownTree = (path: string, uid: number) => spawnSync("chown", ["-R", `${uid}:${uid}`, path]);
  if (asRoot) {
    for (const path of [...reachable, ...visible]) {
      // every folder on the way down must be traversable by nobody (mkdtemp makes 0700)
      for (let p = dirname(path); p !== "/" && p !== "/tmp"; p = dirname(p)) setMode(p, 0o755);
    }
    for (const path of reachable) chownTree(path, NOBODY);
  }
  for (const path of lockedOut) {
    if (asRoot) chownSync(path, 0, 0);
    setMode(path, 0o000);
  }
  if (asRoot) {
    process.setegid!(NOBODY);
    process.seteuid!(NOBODY);
  }
  try {
    return await work();
  } finally {
    if (asRoot) {
      process.seteuid!(0);
      process.setegid!(0);
      for (const path of reachable) chownTree(path, 0);
    }
    for (const [path, mode] of modes) chmodSync(path, mode);
  }
}
