import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { AskOptions, AskResult, FindHit } from "../../src/answer/types.js";
import { type Config, loadConfig } from "../../src/config.js";
import type {
  ChannelSetting,
  FeedbackRecord,
  IndexOverview,
  KkrService,
  SourceFile,
  SummaryRequestOptions,
} from "../../src/service.js";
import type { Citation, Language } from "../../src/types.js";
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, type SlackEmulator } from "../helpers/slack-emulator.js";

/** A deterministic KkrService for the Slack tests (the real core is tested elsewhere). */

export const INJECTION_QUOTE =
  "Ved mødet deltog <!channel> og <@U123>; se <https://evil.example|kkr.dk> & <#C999> <!here> <!everyone>.";

export function citation(n: number, overrides: Partial<Citation> = {}): Citation {
  return {
    n,
    source: "syddanmark/2020-11-11-dagsorden.pdf",
    title: "Dagsorden KKR Syddanmark 11. november 2020",
    kind: "dagsorden",
    region: "Syddanmark",
    date: "2020-11-11",
    section: "3. Orientering › 3.1 Siden sidst",
    item: "3.1",
    page: 7,
    url: "https://www.kl.dk/media/kkr-syddanmark-2020-11-11.pdf",
    quote: "Danmarks Erhvervsfremmebestyrelse (DEB) ved Jens Ejner Christensen, Varde Kommune.",
    chunkId: "doc1:4",
    ...overrides,
  };
}

export function cannedResult(question: string, language: Language): AskResult {
  return {
    question,
    answer: `Ifølge dagsordenen til KKR Syddanmarks møde 11. november 2020, pkt. 3.1: Jens Ejner Christensen repræsenterer KKR Syddanmark i DEB [1]. Citat: ${INJECTION_QUOTE} [2]`,
    abstained: false,
    mode: "extractive",
    language,
    citations: [citation(1), citation(2, { quote: INJECTION_QUOTE, title: "Nyhedsbrev <!here>", url: null })],
    closest: [],
    timings_ms: { total: 3 },
  };
}

/** A summary in the core's shape: one-screen by default, the long form with `detail`. */
export function cannedSummary(ref: string, options: SummaryRequestOptions, language: Language): AskResult {
  const detail = options.detail === true;
  const lines = detail
    ? [
        "KKR Syddanmark – møde 11. november 2020 [1]",
        "2.3 DK2020 og regional organisering [1]",
        "  - Indstilling: Det indstilles, at KKR Syddanmark tager orienteringen til efterretning. [1]",
      ]
    : [
        "KKR Syddanmark – møde 11. november 2020 [1]",
        "2.3 DK2020 og regional organisering – Orientering: 3 mio. kr. til en klimakoordinator [1]",
      ];
  return {
    question: ref,
    answer: lines.join("\n"),
    abstained: false,
    mode: "summary",
    language: options.language ?? language,
    citations: [
      citation(1, {
        item: "2.3",
        section: "2. Regionalpolitiske sager › 2.3 DK2020 og regional organisering",
      }),
    ],
    closest: [],
    timings_ms: { total: 2 },
    ...{
      detail,
      method: "extractive",
      meeting: {
        id: "syddanmark-2020-11-11",
        region: "Syddanmark",
        date: "2020-11-11",
        place: null,
        documents: [],
      },
      items: [],
    },
  } as AskResult;
}

export const OVERVIEW: IndexOverview = {
  documents: 5,
  byRegion: [
    { region: "Sjælland", documents: 2 },
    { region: "Syddanmark", documents: 2 },
    { region: "all", documents: 1 },
  ],
  latestMeetings: [
    {
      id: "syddanmark-2020-11-11",
      region: "Syddanmark",
      date: "2020-11-11",
      place: "Virtuelt via Teams",
      kinds: ["dagsorden"],
    },
    {
      id: "sjaelland-2020-09-07",
      region: "Sjælland",
      date: "2020-09-07",
      place: null,
      kinds: ["nyhedsbrev"],
    },
  ],
  latestDocuments: [
    {
      title: "KKR Sjælland – folder marts 2022",
      kind: "folder",
      region: "Sjælland",
      date: "2022-03",
      source: "kkr-sjaelland-folder-2022-03.txt",
    },
  ],
  acronyms: [{ acronym: "DEB", expansion: "Danmarks Erhvervsfremmebestyrelse" }],
  updatedAt: "2024-05-01T08:00:00.000Z",
};

export interface FakeService extends KkrService {
  asks: { question: string; options: AskOptions | undefined }[];
  summaries: { ref: string; options: SummaryRequestOptions | undefined }[];
  finds: { query: string; options: Parameters<KkrService["find"]>[1] }[];
  settings: Map<string, ChannelSetting>;
  feedback: FeedbackRecord[];
  /** Replaces ask's behaviour (e.g. to throw). */
  askImpl: (question: string, options?: AskOptions) => Promise<AskResult>;
  closed: boolean;
}

// every fake service writes a small file to share; remove them all when the test process ends
const tempDirs: string[] = [];
process.once("exit", () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

export function fakeService(): FakeService {
  const dir = mkdtempSync(join(tmpdir(), "kkr-slack-"));
  tempDirs.push(dir);
  const pdf = join(dir, "2020-11-11-dagsorden.pdf");
  writeFileSync(pdf, "%PDF-1.4 fake agenda bytes");
  const language = (text: string): Language =>
    /\b(who|what|when|the|and|in|is|are|show|find|summary)\b/i.test(text) && !/[æøå]/i.test(text)
      ? "en"
      : "da";
  const hits: FindHit[] = [
    {
      docId: "doc1",
      source: "syddanmark/2020-11-11-dagsorden.pdf",
      title: "Dagsorden KKR Syddanmark 11. november 2020",
      kind: "dagsorden",
      region: "Syddanmark",
      date: "2020-11-11",
      url: "https://www.kl.dk/media/kkr-syddanmark-2020-11-11.pdf",
      score: 0.9,
      snippet: "DEB ved Jens Ejner Christensen <!channel>",
      section: "3.1 Siden sidst",
    },
    {
      docId: "doc2",
      source: "sjaelland/2020-09-nyhedsbrev.html",
      title: "Nyhedsbrev KKR Sjælland september 2020",
      kind: "nyhedsbrev",
      region: "Sjælland",
      date: "2020-09",
      url: "https://www.kl.dk/kkr-sjaelland/nyhedsbrev-sept-2020",
      score: 0.5,
      snippet: "Klima og DK2020",
      section: "",
    },
  ];
  const files: Record<string, SourceFile> = {
    "syddanmark/2020-11-11-dagsorden.pdf": {
      source: "syddanmark/2020-11-11-dagsorden.pdf",
      title: "Dagsorden KKR Syddanmark 11. november 2020",
      url: "https://www.kl.dk/media/kkr-syddanmark-2020-11-11.pdf",
      path: pdf,
    },
    "sjaelland/2020-09-nyhedsbrev.html": {
      source: "sjaelland/2020-09-nyhedsbrev.html",
      title: "Nyhedsbrev KKR Sjælland september 2020",
      url: "https://www.kl.dk/kkr-sjaelland/nyhedsbrev-sept-2020",
      path: null,
    },
  };
  const service: FakeService = {
    asks: [],
    summaries: [],
    finds: [],
    settings: new Map(),
    feedback: [],
    closed: false,
    askImpl: async (question) => cannedResult(question, language(question)),
    async ask(question, options) {
      service.asks.push({ question, options });
      return service.askImpl(question, options);
    },
    async find(query, options) {
      service.finds.push({ query, options });
      return hits;
    },
    async summary(ref, options) {
      service.summaries.push({ ref, options });
      return cannedSummary(ref, options ?? {}, language(ref));
    },
    async channelDefault(channel) {
      return service.settings.get(channel) ?? null;
    },
    async setChannelDefault(channel, region, setBy) {
      if (region) service.settings.set(channel, { channel, region, setBy, setAt: new Date().toISOString() });
      else service.settings.delete(channel);
    },
    async overview() {
      return OVERVIEW;
    },
    async recordFeedback(feedback) {
      service.feedback.push(feedback);
    },
    async sourceFile(source) {
      return files[source] ?? null;
    },
    async readSourceFile(source) {
      const file = files[source];
      if (!file?.path) return { ok: false, reason: "missing" };
      return {
        ok: true,
        source,
        title: file.title,
        fileName: basename(file.path),
        bytes: readFileSync(file.path),
      };
    },
    language,
    async close() {
      service.closed = true;
    },
  };
  return service;
}

/** Config pointing the bot at the emulator: Socket Mode by default, HTTP mode with `http`. */
export function emulatorConfig(
  slack: SlackEmulator,
  options: { http?: boolean; rateLimitPerMin?: number; maxQuestionChars?: number } = {},
): Config {
  return loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    ...(options.http ? { SLACK_SIGNING_SECRET: SIGNING_SECRET } : { SLACK_APP_TOKEN: APP_TOKEN }),
    SLACK_API_URL: slack.apiUrl,
    KKR_RATE_LIMIT_PER_MIN: String(options.rateLimitPerMin ?? 100),
    KKR_MAX_QUESTION_CHARS: String(options.maxQuestionChars ?? 2000),
  });
}
