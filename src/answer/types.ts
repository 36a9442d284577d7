import type { QueryAnalysis } from "../retrieval/query.js";
import type { ChunkRecord, Citation, DocKind, Language, Region } from "../types.js";

/** A retrieved chunk handed to an answerer, numbered as it will be cited. */
export interface Passage {
  /** 1-based number the answer cites as [n]. */
  n: number;
  chunk: Omit<ChunkRecord, "vector">;
  score: number;
}

export interface AnswerInput {
  question: string;
  language: Language;
  /** The query terms retrieval used (question + expansions), for highlighting evidence. */
  terms: string[];
  passages: Passage[];
  /** Earlier questions (and answers) in the same conversation, oldest first. */
  history?: { question: string; answer?: string }[];
  /** Region the question explicitly asks about, if any. */
  region?: Region | null;
  /** The full query analysis (question type, entities, dates), when retrieval made one. */
  analysis?: QueryAnalysis;
}

export interface AnswerOutput {
  answer: string;
  abstained: boolean;
  mode: "extractive" | "llm";
  citations: Citation[];
  /** e.g. "LLM unavailable; showing the extractive answer." */
  note?: string;
}

/** Writes the answer from passages. One implementation per file; chosen in one place. */
export interface Answerer {
  readonly mode: "extractive" | "llm";
  answer(input: AnswerInput, signal?: AbortSignal): Promise<AnswerOutput>;
}

export interface AskOptions {
  k?: number;
  region?: Region;
  since?: string;
  until?: string;
  kind?: DocKind;
  mode?: "extractive" | "llm";
  history?: { question: string; answer?: string }[];
  signal?: AbortSignal;
}

/** The stable shape `kkr ask --json` prints (documented in the README). */
export interface AskResult {
  question: string;
  answer: string;
  abstained: boolean;
  mode: "extractive" | "llm" | "summary";
  language: Language;
  citations: Citation[];
  /** Closest documents, shown when abstaining. */
  closest: {
    source: string;
    title: string;
    url: string | null;
    date: string | null;
    /** On the first entry when the decline quotes the closest passage: that quote and its section. */
    quote?: string;
    section?: string;
  }[];
  note?: string;
  timings_ms: Record<string, number>;
}

export interface FindHit {
  docId: string;
  source: string;
  title: string;
  kind: DocKind;
  region: Region | null;
  date: string | null;
  url: string | null;
  score: number;
  snippet: string;
  section: string;
}
