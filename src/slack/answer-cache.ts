import { randomUUID } from "node:crypto";
import type { AskResult } from "../answer/types.js";

/**
 * Recent answers by id, so buttons (show sources, post to channel, feedback) can refer
 * to an answer without squeezing it into a 2,000-character button value. Bounded and
 * in memory: after a restart a button asks the user to ask again (it never re-asks).
 */
export class AnswerCache {
  private readonly entries = new Map<string, { result: AskResult; at: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60_000;
    this.maxEntries = options.maxEntries ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  put(result: AskResult): string {
    const id = randomUUID().slice(0, 12);
    this.entries.set(id, { result, at: this.now() });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return id;
  }

  get(id: string): AskResult | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    if (this.now() - entry.at > this.ttlMs) {
      this.entries.delete(id);
      return null;
    }
    return entry.result;
  }
}
