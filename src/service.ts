import type { AskOptions, AskResult, FindHit } from "./answer/types.js";
import type { Citation, DocKind, Language, Region } from "./types.js";

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

/** `ask` options of the core: the answerer's, plus a channel's default region. */
export interface CoreAskOptions extends AskOptions {
  /**
   * Read the question as if it named this region when it names none (a channel's default,
   * `/kkr config region …`); a region named in the question wins.
   */
  defaultRegion?: Region | null;
}

/** An answer, and the default region it was read with (shown next to its sources). */
export type KkrAnswer = AskResult & { defaultRegion?: Region };

/** A channel's default region, stored in the index's `channel_settings` table. */
export interface ChannelSetting {
  channel: string;
  region: Region;
  /** Who set it (Slack user id) and when (ISO). */
  setBy: string;
  setAt: string;
}

/** What the index holds, for the Slack App Home and the assistant's suggested prompts. */
export interface IndexOverview {
  documents: number;
  byRegion: { region: Region | null; documents: number }[];
  /** The newest meeting of each region, newest first. */
  latestMeetings: { id: string; region: Region; date: string; place: string | null; kinds: DocKind[] }[];
  /** The newest documents (by meeting or publication date). */
  latestDocuments: {
    title: string;
    kind: DocKind;
    region: Region | null;
    date: string | null;
    source: string;
  }[];
  /** Acronyms the documents define, most widely used first (for example questions). */
  acronyms: { acronym: string; expansion: string }[];
  /** When the index was last synced with the documents folder (ISO), if known. */
  updatedAt: string | null;
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
  /** The region to read a reference that names none with (a channel's default). */
  defaultRegion?: Region | null;
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
  ask(question: string, options?: CoreAskOptions): Promise<KkrAnswer>;
  find(
    query: string,
    options?: { k?: number; signal?: AbortSignal; defaultRegion?: Region | null },
  ): Promise<FindHit[]>;
  recordFeedback(feedback: FeedbackRecord): Promise<void>;
  sourceFile(source: string): Promise<SourceFile | null>;
  /** The original file's bytes, re-checked at the time of the call (see SourceFileContent). */
  readSourceFile(source: string): Promise<SourceFileContent>;
  /**
   * A meeting summary from a free-text reference ("KKR Syddanmark 11. november 2020");
   * MEETING_NOT_FOUND / MEETING_AMBIGUOUS when it names no single meeting.
   */
  summary(ref: string, options?: SummaryRequestOptions): Promise<AskResult>;
  /** The default region of a Slack channel (or DM), if one was set. */
  channelDefault(channel: string): Promise<ChannelSetting | null>;
  /** Sets (region) or clears (null) a channel's default region. */
  setChannelDefault(channel: string, region: Region | null, setBy: string): Promise<void>;
  overview(): Promise<IndexOverview>;
  /** Detects the language of a text (for UI strings). */
  language(text: string): Language;
  close(): Promise<void>;
}
