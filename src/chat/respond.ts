/**
 * Runs a routed line against the core and says what to show — the part of a chat turn
 * every transport shares. Transports render the reply (Block Kit, console text); a channel
 * setting (`config …`) is the transport's own business and never reaches here.
 */
import type { FindHit } from "../answer/types.js";
import { isKkrError } from "../errors.js";
import type { KkrAnswer, KkrService } from "../service.js";
import type { Language, Region } from "../types.js";
import type { Route } from "./route.js";

export type ChatReply =
  | { kind: "help"; language: Language }
  /** `find` or `opsummer` without anything to find or summarise. */
  | { kind: "usage"; command: "find" | "summary"; language: Language }
  | { kind: "answer"; result: KkrAnswer; language: Language }
  | { kind: "find"; query: string; hits: FindHit[]; language: Language };

export interface RespondOptions {
  history?: { question: string; answer?: string }[];
  signal?: AbortSignal;
  /** The channel's default region (read as if the question named it, when it names none). */
  defaultRegion?: Region | null;
  /** Language when the line itself doesn't tell (a bare "?"). */
  fallbackLanguage?: Language;
  /** Passed to find. */
  k?: number;
}

export function replyLanguage(service: KkrService, route: Route, fallback: Language = "da"): Language {
  if (route.language) return route.language;
  return route.text.trim() ? service.language(route.text) : fallback;
}

export async function respond(
  service: KkrService,
  route: Route,
  options: RespondOptions = {},
): Promise<ChatReply> {
  const language = replyLanguage(service, route, options.fallbackLanguage);
  const region = options.defaultRegion ? { defaultRegion: options.defaultRegion } : {};
  const signal = options.signal ? { signal: options.signal } : {};
  switch (route.kind) {
    case "help":
    case "config":
      return { kind: "help", language };
    case "find": {
      if (!route.text) return { kind: "usage", command: "find", language };
      const hits = await service.find(route.text, { k: options.k ?? 8, ...signal, ...region });
      return { kind: "find", query: route.text, hits, language };
    }
    case "summary": {
      if (!route.text) return { kind: "usage", command: "summary", language };
      try {
        const result = await service.summary(route.text, { ...signal, ...region });
        return { kind: "answer", result, language };
      } catch (error) {
        // "Which meeting?" is an answer the user can act on, not a failure.
        if (!isKkrError(error, "MEETING_AMBIGUOUS") && !isKkrError(error, "MEETING_NOT_FOUND")) throw error;
        return {
          kind: "answer",
          language,
          result: {
            question: route.text,
            answer: error.message,
            abstained: true,
            mode: "summary",
            language,
            citations: [],
            closest: [],
            timings_ms: {},
          },
        };
      }
    }
    case "ask": {
      const result = await service.ask(route.text, {
        ...signal,
        ...region,
        ...(options.history && options.history.length > 0 ? { history: options.history } : {}),
      });
      return { kind: "answer", result, language: result.language ?? language };
    }
  }
}
