/**
 * The documents waiting to be announced in Slack, kept on disk so an announcement is made
 * once and never again after a restart. One small JSON file per document in
 * `<docs>/.kkr-sync/announcements/{pending,sending,announced,failed}/`; moving a file
 * between folders is an atomic rename, so `kkr sync` (which queues) and the bot (which
 * announces) can work at the same time without losing or repeating an entry.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { DocKind, Region } from "../types.js";
import { writeFileAtomic } from "./sync-sidecar.js";

export interface AnnouncementEntry {
  /** sha1 of the url: the entry's file name. */
  key: string;
  url: string;
  /** The document's path relative to the documents folder. */
  file: string;
  source: string;
  linkText: string;
  role: string | null;
  context: string | null;
  region: Region | null;
  kind: DocKind | null;
  meetingDate: string | null;
  queuedAt: string;
  attempts: number;
}

type State = "pending" | "sending" | "announced" | "failed";
const STATES: State[] = ["pending", "sending", "announced", "failed"];

export const announcementKey = (url: string) => createHash("sha1").update(url).digest("hex");

/** The queue's folder for a documents folder (hidden, so ingest never reads it). */
export const queueDirFor = (docsDir: string) => join(docsDir, ".kkr-sync", "announcements");

export class AnnouncementQueue {
  constructor(
    private readonly dir: string,
    private readonly maxAttempts = 5,
  ) {}

  private path(state: State, key: string) {
    return join(this.dir, state, `${key}.json`);
  }

  private async ensure(): Promise<void> {
    for (const s of STATES) await mkdir(join(this.dir, s), { recursive: true });
  }

  private async keys(state: State): Promise<string[]> {
    try {
      return (await readdir(join(this.dir, state)))
        .filter((n) => n.endsWith(".json") && !n.startsWith("."))
        .map((n) => n.slice(0, -".json".length))
        .sort();
    } catch {
      return [];
    }
  }

  /** Queues documents not queued or announced before; returns how many were added. */
  async enqueue(entries: Omit<AnnouncementEntry, "key" | "attempts">[]): Promise<number> {
    if (entries.length === 0) return 0;
    await this.ensure();
    const known = new Set((await Promise.all(STATES.map((s) => this.keys(s)))).flat());
    let added = 0;
    for (const e of entries) {
      const key = announcementKey(e.url);
      if (known.has(key)) continue;
      known.add(key);
      await writeFileAtomic(this.path("pending", key), JSON.stringify({ ...e, key, attempts: 0 }));
      added++;
    }
    return added;
  }

  async pending(): Promise<AnnouncementEntry[]> {
    const out: AnnouncementEntry[] = [];
    for (const key of await this.keys("pending")) {
      try {
        out.push(JSON.parse(await readFile(this.path("pending", key), "utf8")) as AnnouncementEntry);
      } catch {
        // removed by another announcer in between, or unreadable: skip
      }
    }
    return out;
  }

  /** Takes entries for sending; only those this process won (another may race for them). */
  async claim(entries: AnnouncementEntry[]): Promise<AnnouncementEntry[]> {
    await this.ensure();
    const won: AnnouncementEntry[] = [];
    for (const e of entries) {
      try {
        await rename(this.path("pending", e.key), this.path("sending", e.key));
        won.push(e);
      } catch {
        // already claimed
      }
    }
    return won;
  }

  async done(entries: AnnouncementEntry[]): Promise<void> {
    for (const e of entries) await rename(this.path("sending", e.key), this.path("announced", e.key));
  }

  /** Sending failed: back to pending for the next try, or to failed after too many. */
  async release(entries: AnnouncementEntry[]): Promise<void> {
    for (const e of entries) {
      const next = { ...e, attempts: e.attempts + 1 };
      const state: State = next.attempts >= this.maxAttempts ? "failed" : "pending";
      await writeFileAtomic(this.path(state, e.key), JSON.stringify(next));
      await rm(this.path("sending", e.key), { force: true });
    }
  }

  /**
   * Entries left in `sending` by a process that stopped mid-post may or may not have been
   * posted; they count as announced, because a repeat is worse than a miss here.
   */
  async recover(): Promise<number> {
    const stuck = await this.keys("sending");
    for (const key of stuck)
      await rename(this.path("sending", key), this.path("announced", key)).catch(() => {});
    return stuck.length;
  }
}
