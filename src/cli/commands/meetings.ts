import { type Command, InvalidArgumentError } from "commander";
import { type Config, llmConfigured } from "../../config.js";
import { KkrError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { listMeetings, type Meeting, meetingName } from "../../meetings/meetings.js";
import { kindName, meetingInfo } from "../../meetings/resolve-ref.js";
import type { LlmSummaryOptions, SummaryResult } from "../../meetings/summary.js";
import { summarizeRef } from "../../meetings/summary.js";
import { KkrStore } from "../../store/store.js";
import type { Region } from "../../types.js";
import { type CliContext, printJson } from "../context.js";
import { parseMode, parseRegionOption } from "../options.js";
import { renderAnswer } from "../render.js";
import { askJson } from "./ask.js";

interface SummaryFlags {
  db?: string;
  json?: boolean;
  mode?: "extractive" | "llm";
  detail?: boolean;
}

export function parseYear(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1900 || n > 2100)
    throw new InvalidArgumentError("expected a year like 2020");
  return n;
}

/** `kkr summary --json`: the `kkr ask --json` fields plus the meeting and its items. */
export function summaryJson(r: SummaryResult) {
  return { ...askJson(r), method: r.method, detail: r.detail, meeting: r.meeting, items: r.items };
}

export function renderMeetings(meetings: Meeting[]): string {
  if (meetings.length === 0)
    return "No meetings found. Meetings come from agendas, minutes, meeting calendars, newsletters and news with a meeting date.";
  return meetings
    .map((m) =>
      [
        `${m.date}  ${meetingName(m)}${m.time ? `  kl. ${m.time}` : ""}${m.place ? `  (${m.place})` : ""}  [${m.id}]`,
        ...m.documents.map(
          (d) => `            ${kindName(d.kind, "da").padEnd(10)} ${d.source}${d.url ? `  ${d.url}` : ""}`,
        ),
      ].join("\n"),
    )
    .join("\n");
}

/** The model settings for an LLM summary, or null for the offline one (flag > KKR_ANSWER_MODE). */
export async function summaryLlm(
  config: Config,
  mode: "extractive" | "llm" | undefined,
  logger: Logger,
): Promise<LlmSummaryOptions | null> {
  const wanted =
    mode ??
    (config.answerMode === "auto" ? (llmConfigured(config) ? "llm" : "extractive") : config.answerMode);
  if (wanted === "extractive") return null;
  if (!llmConfigured(config)) {
    throw new KkrError("CONFIG_INVALID", "Summary mode llm needs OPENAI_API_KEY or OPENAI_BASE_URL.");
  }
  const { createOpenAIClient } = await import("../../llm/openai-client.js");
  return {
    client: createOpenAIClient(config, { logger }),
    model: config.chatModel,
    timeoutMs: config.llmTimeoutMs,
    logger,
  };
}

export function registerMeetings(program: Command, ctx: (opts: { db?: string }) => CliContext) {
  program
    .command("meetings")
    .description("list the meetings in the index (KKR region + date) with their documents")
    .option("--region <region>", "only this KKR region", parseRegionOption)
    .option("--year <year>", "only meetings in this year", parseYear)
    .option("--db <uri>", "LanceDB path or URI (overrides KKR_DB)")
    .option("--json", "print JSON on stdout")
    .action(async (opts: { db?: string; json?: boolean; region?: Region; year?: number }) => {
      const c = ctx({ db: opts.db });
      const store = await KkrStore.open(c.config.db);
      try {
        const meetings = await listMeetings(store, {
          ...(opts.region ? { region: opts.region } : {}),
          ...(opts.year ? { year: opts.year } : {}),
        });
        if (opts.json) printJson(c, { meetings: meetings.map(meetingInfo) });
        else c.out(renderMeetings(meetings));
      } finally {
        store.close();
      }
    });

  program
    .command("summary")
    .description(
      'summarise a meeting on one screen (one cited line per item; --detail for the long form): "KKR Syddanmark 11. november 2020", "seneste møde i KKR Sjælland"',
    )
    .argument("<ref>", "the meeting, in Danish or English (region and date, or latest/last)")
    .option("--db <uri>", "LanceDB path or URI (overrides KKR_DB)")
    .option("--json", "print one JSON object on stdout")
    .option("--mode <mode>", "extractive (offline) or llm", parseMode)
    .option("--detail", "the long form: every item's recommendation, decision and key facts")
    .action(async (ref: string, opts: SummaryFlags) => {
      const c = ctx({ db: opts.db });
      if (ref.trim() === "" || !/[\p{L}\p{N}]/u.test(ref)) {
        throw new KkrError(
          "BAD_ARGUMENT",
          'Name a meeting, e.g. kkr summary "KKR Syddanmark 11. november 2020".',
        );
      }
      if (ref.length > c.config.maxQuestionChars) {
        throw new KkrError(
          "QUESTION_TOO_LONG",
          `The reference is ${ref.length} characters; the limit is ${c.config.maxQuestionChars}. Name a region and a date.`,
        );
      }
      const store = await KkrStore.open(c.config.db);
      try {
        const llm = await summaryLlm(c.config, opts.mode, c.logger);
        const result = await summarizeRef(store, ref, {
          llm,
          logger: c.logger,
          today: new Date().toISOString().slice(0, 10),
          ...(opts.detail ? { detail: true } : {}),
        });
        if (opts.json) printJson(c, summaryJson(result));
        else c.out(renderAnswer(result));
      } finally {
        store.close();
      }
    });
}
