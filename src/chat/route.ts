/**
 * What a typed line asks for — the one routing every chat transport shares (Slack
 * mentions, DMs, the assistant pane, `/kkr`, and the console chat): `find …` / `søg …`
 * finds documents, `opsummer …` / `summary …` summarises a meeting, `hjælp` / `help` shows
 * help, `config …` changes a channel's settings (Slack), anything else is a question
 * (which the core may still route to a summary: "hvad skete der på mødet i …").
 */
import type { Language } from "../types.js";

export type RouteKind = "help" | "ask" | "find" | "summary" | "config";

export interface Route {
  kind: RouteKind;
  /** The rest of the line: the question, the search, the meeting, the setting. */
  text: string;
  /** The language the command word is in ("hjælp" → da, "help" → en), when it tells. */
  language: Language | null;
}

const COMMANDS: Record<string, { kind: Exclude<RouteKind, "ask">; language: Language | null }> = {
  help: { kind: "help", language: "en" },
  hjælp: { kind: "help", language: "da" },
  hjaelp: { kind: "help", language: "da" },
  "?": { kind: "help", language: null },
  find: { kind: "find", language: null },
  søg: { kind: "find", language: "da" },
  sog: { kind: "find", language: "da" },
  search: { kind: "find", language: "en" },
  summary: { kind: "summary", language: "en" },
  summarise: { kind: "summary", language: "en" },
  summarize: { kind: "summary", language: "en" },
  opsummer: { kind: "summary", language: "da" },
  opsummér: { kind: "summary", language: "da" },
  opsummering: { kind: "summary", language: "da" },
  resume: { kind: "summary", language: "da" },
  resumé: { kind: "summary", language: "da" },
  config: { kind: "config", language: null },
  settings: { kind: "config", language: null },
  indstil: { kind: "config", language: "da" },
  indstillinger: { kind: "config", language: "da" },
};

// "find ud af …" is Danish for "find out …": a question, not a search.
const NOT_A_SEARCH = /^(?:ud\s+af|out)\b/iu;
const GLUE = /^(?:efter|for|af|of|om|about|on|fra|from|til|to|mig|me)\s+/iu;

export function routeInput(raw: string): Route {
  const text = (raw ?? "").normalize("NFC").trim();
  const m = /^\/?(\S+?)[.!?:,]?(?:\s+([\s\S]*))?$/u.exec(text);
  const word = m?.[1]?.toLowerCase() ?? "";
  const rest = (m?.[2] ?? "").trim();
  const command = COMMANDS[word];
  if (text === "") return { kind: "help", text: "", language: null };
  if (!command) return { kind: "ask", text, language: null };
  if (command.kind === "help") {
    // "help" alone is the help; "hjælp mig med …" is a question
    return rest === "" ? { kind: "help", text: "", language: command.language } : ask(text);
  }
  if (command.kind === "find" && NOT_A_SEARCH.test(rest)) return ask(text);
  let body = rest;
  if (command.kind !== "config") {
    for (let i = 0; i < 2 && GLUE.test(body); i++) body = body.replace(GLUE, "");
  }
  return { kind: command.kind, text: body.replace(/[?!.]+$/u, "").trim(), language: command.language };
}

function ask(text: string): Route {
  return { kind: "ask", text, language: null };
}
