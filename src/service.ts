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

export interface SummaryRequestOptions {
  mode?: "extractive" | "llm";
  signal?: AbortSignal;
  /** Shown as the result's question (the user's words when `ask` routed it). */
  question?: string;
  /** The long form (every item's recommendation, decision and facts) instead of one screen. */
  detail?: boolean;
  /** Output language; by default the reference's. */
  language?: Language;
}

/**
 * The core every transport (CLI, console chat, Slack) calls. Transports parse input,
 * call these, and render; they hold no business logic.
 */
export interface KkrService {
  ask(question: string, options?: AskOptions): Promise<AskResult>;
  find(query: string, options?: { k?: number; signal?: AbortSignal }): Promise<FindHit[]>;
  recordFeedback(feedback: FeedbackRecord): Promise<void>;
  sourceFile(source: string): Promise<SourceFile | null>;
  /** A meeting summary from a free-text reference ("KKR Syddanmark 11. november 2020"). */
  summary?(ref: string, options?: SummaryRequestOptions): Promise<AskResult>;
  /** Detects the language of a text (for UI strings). */
  language(text: string): Language;
  close(): Promise<void>;
}
