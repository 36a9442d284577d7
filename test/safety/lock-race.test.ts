import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { tempDir } from "../helpers/index-fixture.js";

/**
 * Issue 8.14: several processes find the lock of a dead ingest at the same moment. The
 * takeover must be atomic: exactly one of them gets the lock. Each taker is a real
 * process; all start their attempt at the same instant and hold what they get for a while,
 * so two holders would both report success.
 */

const LOCK_MODULE = resolve(import.meta.dirname, "../../src/store/lock.ts");
const TSX = import.meta.resolve("tsx");
const TAKERS = 6;
const ROUNDS = 20;
const tmp = tempDir("kkr-lockrace-");
after(() => tmp.cleanup());

/** A pid that belonged to a process which has exited (so the lock it left is stale). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  return Number(child.stdout);
}

/**
 * A taker process: for each byte it reads on stdin (one per round, sent to all takers at
 * once) it tries to take the lock in the folder named after the round. A winner holds it
 * 200 ms, then checks the lock file is still its own (nobody took it meanwhile) and
 * releases. It reports "ROUND:won:FROM:TO:kept|stolen" or "ROUND:locked" per round.
 */
const TAKER = `
import { readFileSync, readSync } from "node:fs";
import { acquireIngestLock } from ${JSON.stringify(LOCK_MODULE)};
const base = process.argv.at(-1);
const byte = Buffer.alloc(1);
process.stdout.write("ready;");
for (let round = 0; readSync(0, byte) === 1; round++) {
  const dir = base + "/db-" + round;
  let outcome;
  try {
    const lock = acquireIngestLock(dir);
    const from = Date.now();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    const holder = JSON.parse(readFileSync(dir + "/.kkr-ingest.lock", "utf8")).pid;
    outcome = "won:" + from + ":" + Date.now() + ":" + (holder === process.pid ? "kept" : "stolen");
    lock.release();
  } catch (error) {
    outcome = error.code === "INGEST_LOCKED" ? "locked" : "error: " + error.message;
  }
  process.stdout.write(round + ":" + outcome + ";");
}
`;

test(`${TAKERS} processes taking over a dead ingest's lock at once: never two holders (${ROUNDS} rounds)`, async () => {
  const takers = Array.from({ length: TAKERS }, () => {
    const child = spawn(
      process.execPath,
      ["--import", TSX, "--input-type=module", "-e", TAKER, "--", tmp.path],
      {
        stdio: ["pipe", "pipe", "inherit"],
      },
    );
    const state = { child, out: "" };
    child.stdout.on("data", (d) => {
      state.out += String(d);
    });
    return state;
  });
  const until = async (ok: () => boolean) => {
    const deadline = Date.now() + 60_000;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`takers stuck: ${takers.map((t) => t.out).join(" | ")}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  try {
    await until(() => takers.every((t) => t.out.startsWith("ready;")));
    const dead = deadPid();
    for (let round = 0; round < ROUNDS; round++) {
      const dir = join(tmp.path, `db-${round}`);
      mkdirSync(dir);
      const stale = { pid: dead, host: hostname(), since: new Date(2020, 0, 1 + round).toISOString() };
      writeFileSync(join(dir, ".kkr-ingest.lock"), JSON.stringify(stale));
      for (const t of takers) t.child.stdin.write("g"); // all go at once
      const outcome = (t: (typeof takers)[number]) => new RegExp(`(?:^|;)${round}:([^;]+);`).exec(t.out)?.[1];
      await until(() => takers.every((t) => outcome(t) !== undefined));
      const outcomes = takers.map((t) => outcome(t) ?? "");
      const wins = outcomes.filter((o) => o.startsWith("won:")).map((o) => o.split(":"));
      const said = `round ${round}: ${outcomes.join(", ")}`;
      assert.ok(wins.length >= 1, said);
      assert.equal(wins.length + outcomes.filter((o) => o === "locked").length, TAKERS, said);
      // never two holders at once: each winner kept its lock, and their holds don't overlap
      // (a taker the machine delayed past the first winner's release may win after it)
      assert.ok(
        wins.every((w) => w[3] === "kept"),
        said,
      );
      const spans = wins.map((w) => [Number(w[1]), Number(w[2])] as const).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) assert.ok(spans[i]![0] >= spans[i - 1]![1], said);
      // nothing left behind: the winner released its lock, markers and temp files are gone
      assert.deepEqual(readdirSync(dir), []);
    }
  } finally {
    for (const t of takers) t.child.stdin.end();
  }
});
