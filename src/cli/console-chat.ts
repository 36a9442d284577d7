import { createInterface } from "node:readline";
import { describeError, isKkrError } from "../errors.js";
import type { KkrService } from "../service.js";
import { renderAnswer } from "./render.js";

/**
 * The local chat `npm start` opens when Slack isn't configured: the same core, typed
 * questions in, cited answers out. Follow-ups use the previous questions as context,
 * like a Slack thread. Works piped too (one question per line).
 */
export async function runConsoleChat(
  service: KkrService,
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; interactive: boolean },
): Promise<void> {
  const write = (s: string) => io.output.write(s.endsWith("\n") ? s : `${s}\n`);
  if (io.interactive) {
    write(
      [
        "kkr-bot — ask about KKR documents (Danish or English). Empty line or Ctrl-D quits; /new starts a new conversation.",
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
    const q = line.trim();
    if (q === "" && io.interactive) break;
    if (q === "") continue;
    if (q === "/new") {
      history = [];
      prompt();
      continue;
    }
    try {
      const r = await service.ask(q, { history });
      write(`${renderAnswer(r)}\n`);
      history = [...history, { question: q, answer: r.answer }].slice(-3);
    } catch (error) {
      write(isKkrError(error) ? error.message : `Sorry, something went wrong: ${describeError(error)}`);
    }
    prompt();
  }
}
