/**
 * Exactly one answer per event. Slack redelivers an event when it did not see our ack
 * in time (HTTP `X-Slack-Retry-Num`, Socket Mode `retry_attempt`) and can deliver the
 * same message twice (same `event_id`, or `app_mention` + `message.im` for one
 * message), so every delivery is checked against recently handled keys.
 */

export interface DedupeOptions {
  /** How long a key is remembered. Slack retries within minutes; default 15 min. */
  ttlMs?: number;
  /** Bound on memory; the oldest keys are dropped first. */
  maxKeys?: number;
  now?: () => number;
}

export class Deduper {
  private readonly seenAt = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: DedupeOptions = {}) {
    this.ttlMs = options.ttlMs ?? 15 * 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * True when any of `keys` was claimed before (the delivery is a duplicate); otherwise
   * claims all of them and returns false. Empty/undefined keys are ignored.
   */
  isDuplicate(keys: (string | null | undefined)[]): boolean {
    const now = this.now();
    this.evict(now);
    const present = keys.filter((k): k is string => typeof k === "string" && k.length > 0);
    if (present.some((k) => this.seenAt.has(k))) return true;
    for (const k of present) this.seenAt.set(k, now);
    return false;
  }

  get size(): number {
    return this.seenAt.size;
  }

  private evict(now: number): void {
    // Map iteration is insertion order, so expired keys are at the front.
    for (const [key, at] of this.seenAt) {
      if (now - at < this.ttlMs && this.seenAt.size <= this.maxKeys) break;
      this.seenAt.delete(key);
    }
  }
}

/** The identities of one delivered event: its envelope id and the message it is about. */
export function eventKeys(input: {
  eventId?: string | undefined;
  channel?: string | undefined;
  ts?: string | undefined;
  clientMsgId?: string | undefined;
}): string[] {
  const keys: string[] = [];
  if (input.eventId) keys.push(`event:${input.eventId}`);
  if (input.clientMsgId) keys.push(`client-msg:${input.clientMsgId}`);
  if (input.channel && input.ts) keys.push(`message:${input.channel}:${input.ts}`);
  return keys;
}
