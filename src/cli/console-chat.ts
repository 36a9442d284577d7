import { createInterface } from "node:readline";
import { type ChatReply, respond } from "../chat/respond.js";
import { routeInput } from "../chat/route.js";
import { describeError, isKkrError } from "../errors.js";
import type { KkrService } from "../service.js";
import type { Language } from "../types.js";
import { renderAnswer, renderFind } from "./render.js";

/**
 * The local chat `npm start` opens when Slack isn't configured: the same core and the same
 * routing as Slack (`find …`, `opsummer …` / `summary …`, `hjælp` / `help`, questions),
 * plus `/help` and `/new` (a new conversation). Follow-ups use the previous questions as
 * context, like a Slack thread. An empty line does nothing; Ctrl-D (end of input) quits.
 * Works piped too (one line per turn).
 */
export async function runConsoleChat(
  service: KkrService,
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; interactive: boolean },
): Promise<void> {
  const write = (s: string) => io.output.write(s.endsWith("\n") ? s : `${s}\n`);
  if (io.interactive) {
    write(
      [
        "kkr-bot — ask about KKR documents (Danish or English). /help shows what you can type; /new starts a new conversation; Ctrl-D quits.",
        "To connect to Slack instead, set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP) — see README.",
        "",
      ].join("\n"),
    );
  }
  const rl = createInterface({ input: io.input, terminal: false });
  let history: { question: string; answer?: string }[] = [];
  const prompt = () => io.interactive && io.output.write("› ");
  prompt();
  for await (const line of rl) {
    const typed = line.trim();
    if (typed === "/new") {
      history = [];
      write("(ny samtale / new conversation)");
    } else if (typed === "/help") {
      write(`${CONSOLE_HELP.da}\n\n${CONSOLE_HELP.en}`);
    } else if (typed !== "") {
      const route = routeInput(typed);
      try {
        if (route.kind === "config") {
          write(CONFIG_ONLY_IN_SLACK[route.language ?? "da"]);
        } else {
          const reply = await respond(service, route, { history });
          write(`${renderReply(reply)}\n`);
          if (reply.kind === "answer" && route.kind === "ask") {
            history = [...history, { question: route.text, answer: reply.result.answer }].slice(-3);
          }
        }
      } catch (error) {
        write(isKkrError(error) ? error.message : `Sorry, something went wrong: ${describeError(error)}`);
      }
    }
    prompt();
  }
}

function renderReply(reply: ChatReply): string {
  switch (reply.kind) {
    case "help":
      return CONSOLE_HELP[reply.language];
    case "usage":
      return USAGE[reply.command][reply.language];
    case "find":
      return renderFind(reply.hits, reply.language);
    case "answer":
      return renderAnswer(reply.result);
  }
}

const CONSOLE_HELP: Record<Language, string> = {
  da: [
    "Skriv et spørgsmål, fx «Hvem er formand for KKR Sjælland?» — svaret citerer dokumenterne.",
    "  find SØGNING        find dokumenter, fx «find folderen til nye KKR-medlemmer»",
    "  opsummer MØDE       et møde på én skærm, fx «opsummer seneste møde i KKR Syddanmark»",
    "  hjælp eller /help   denne hjælp",
    "  /new                ny samtale (glemmer de tidligere spørgsmål)",
    "  Ctrl-D              afslut",
  ].join("\n"),
  en: [
    "Type a question, e.g. “Who chairs KKR Sjælland?” — the answer cites the documents.",
    "  find QUERY          find documents, e.g. “find the folder for new KKR members”",
    "  summary MEETING     a meeting on one screen, e.g. “summary latest KKR Syddanmark meeting”",
    "  help or /help       this help",
    "  /new                new conversation (forgets the earlier questions)",
    "  Ctrl-D              quit",
  ].join("\n"),
};

const USAGE: Record<"find" | "summary", Record<Language, string>> = {
  find: {
    da: "Skriv hvad du leder efter, fx «find dagsorden KKR Syddanmark november 2020».",
    en: "Say what to look for, e.g. “find agenda KKR Syddanmark November 2020”.",
  },
  summary: {
    da: "Skriv hvilket møde, fx «opsummer KKR Syddanmark 11. november 2020» eller «opsummer seneste møde i KKR Sjælland».",
    en: "Say which meeting, e.g. “summary KKR Syddanmark 11 November 2020” or “summary latest KKR Sjælland meeting”.",
  },
};

const CONFIG_ONLY_IN_SLACK: Record<Language, string> = {
  da: "Kanalindstillinger (`/kkr config region …`) findes kun i Slack.",
  en: "Channel settings (`/kkr config region …`) exist only in Slack.",
};
