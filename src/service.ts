import type { AskOptions, AskResult, FindHit } from "./answer/types.js";
import type { Citation, Language } from "./types.js";

/** A 👍/👎 on an answer, stored in the `feedback` table. */
export interface FeedbackRecord {
  question: string;
  answer: string;
  citations: Citation[];
  user: string;
  vote: "up" | "down";
  /** ISO timestamp */
  at: string;
  channel?: string;
  ts?: string;
}

export interface SourceFile {
  source: string;
  title: string;
  url: string | null;
  /** Absolute path of the original file, when it is still on disk. */
  path: string | null;
}

/**
 * The bytes of an indexed document's original file, for sharing: only when the file's
 * real path is inside the documents folder and its content is what was indexed.
 */
export type SourceFileContent =
  | { ok: true; source: string; title: string; fileName: string; bytes: Buffer }
  | {
      ok: false;
      /** missing: no such file now; outside: it leads out of the folder; changed: not what was indexed. */
      reason: "missing" | "outside" | "changed";
    };

/**
 * The core every transport (CLI, console chat, Slack) calls. Transports parse input,
 * call these, and render; they hold no business logic.
 */
export interface KkrService {
  ask(question: string, options?: AskOptions): Promise<AskResult>;
  find(query: string, options?: { k?: number; signal?: AbortSignal }): Promise<FindHit[]>;
  recordFeedback(feedback: FeedbackRecord): Promise<void>;
  sourceFile(source: string): Promise<SourceFile | null>;
  /** The original file's bytes, re-checked at the time of the call (see SourceFileContent). */
  readSourceFile(source: string): Promise<SourceFileContent>;
  /** A meeting summary from a free-text reference ("KKR Syddanmark 11. november 2020"). */
  summary?(ref: string, options?: { signal?: AbortSignal }): Promise<AskResult>;
  /** Detects the language of a text (for UI strings). */
  language(text: string): Language;
  close(): Promise<void>;
}
