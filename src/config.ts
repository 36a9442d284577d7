import { z } from "zod";
import { KkrError } from "./errors.js";
import { type SyncConfig, syncConfigFrom, syncEnvShape } from "./sync/sync-config.js";

/**
 * Configuration is read once, here. Precedence: explicit options (CLI flags) > env
 * (including .env, loaded by the CLI entry) > defaults. An empty variable counts as
 * unset, so `OPENAI_API_KEY=` in a copied .env.example does not switch anything on.
 */

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const str = () => z.preprocess(emptyToUndefined, z.string().optional());
const int = (min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).optional());
const share = () => z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(1).optional());
const url = () => z.preprocess(emptyToUndefined, z.string().url().optional());

/** Variable name → schema; the names double as the documentation in .env.example. */
const envSchema = z.object({
  KKR_DB: str(),
  KKR_DOCS_DIR: str(),
  KKR_EMBEDDER: z.preprocess(emptyToUndefined, z.enum(["hash", "openai"]).optional()),
  KKR_HASH_DIM: int(64, 4096),
  KKR_EMBED_MODEL: str(),
  KKR_EMBED_DIM: int(8, 8192),
  KKR_CHAT_MODEL: str(),
  KKR_ANSWER_MODE: z.preprocess(emptyToUndefined, z.enum(["auto", "extractive", "llm"]).optional()),
  KKR_LLM_TIMEOUT_MS: int(1000, 600_000),
  KKR_MAX_FILE_MB: int(1, 10_000),
  KKR_PARSE_TIMEOUT_MS: int(100, 600_000),
  KKR_PRUNE_MAX_SHARE: share(),
  KKR_PDF_MAX_MEMORY_MB: int(128, 65_536),
  KKR_LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(["auto", "json", "human"]).optional()),
  KKR_LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  ),
  KKR_RATE_LIMIT_PER_MIN: int(0, 10_000),
  KKR_MAX_QUESTION_CHARS: int(10, 100_000),
  OPENAI_API_KEY: str(),
  OPENAI_BASE_URL: url(),
  SLACK_BOT_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().startsWith("xoxb-", "must start with xoxb-").optional(),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().startsWith("xapp-", "must start with xapp-").optional(),
  ),
  SLACK_SIGNING_SECRET: str(),
  SLACK_API_URL: url(),
  PORT: int(0, 65_535),
  ...syncEnvShape,
});

export type EmbedderKind = "hash" | "openai";
export type AnswerMode = "auto" | "extractive" | "llm";

export interface Config {
  db: string;
  docsDir: string;
  /** true when KKR_DOCS_DIR or --docs named the folder (the bot then syncs from it). */
  docsDirExplicit: boolean;
  embedder: EmbedderKind;
  hashDim: number;
  embedModel: string;
  embedDim: number | undefined;
  chatModel: string;
  answerMode: AnswerMode;
  llmTimeoutMs: number;
  maxFileBytes: number;
  parseTimeoutMs: number;
  /** Memory limit of one PDF parser process (heap, buffers and native memory). */
  pdfMaxMemoryMb: number;
  /** Largest share of the index a sync may remove without --prune (never all of it). */
  pruneMaxShare: number;
  logLevel: string;
  /** auto: human-readable lines on a terminal, JSON otherwise. */
  logFormat: "auto" | "json" | "human";
  rateLimitPerMin: number;
  maxQuestionChars: number;
  openai: { apiKey: string | undefined; baseURL: string | undefined };
  slack: {
    botToken: string | undefined;
    appToken: string | undefined;
    signingSecret: string | undefined;
    apiUrl: string | undefined;
    port: number;
  };
  /** Web sync (`kkr sync`, KKR_SYNC_INTERVAL) and announcements: src/sync/sync-config.ts. */
  sync: SyncConfig;
}

export interface ConfigOverrides {
  db?: string | undefined;
  docsDir?: string | undefined;
  embedder?: EmbedderKind | undefined;
  answerMode?: AnswerMode | undefined;
  logLevel?: string | undefined;
  /** --sources: the sources file (overrides KKR_SOURCES). */
  sources?: string | undefined;
}

/** True when an OpenAI-compatible endpoint is configured (a key, or a keyless local server). */
export function llmConfigured(config: Config): boolean {
  return config.openai.apiKey !== undefined || config.openai.baseURL !== undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Name the variable and the rule, never the value: it may be a secret.
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new KkrError(
      "CONFIG_INVALID",
      `Invalid configuration (${problems}). Fix it in the environment or .env.`,
    );
  }
  const e = parsed.data;
  const pick = <T>(override: T | undefined, value: T | undefined, fallback: T): T =>
    override !== undefined && override !== "" ? override : value !== undefined ? value : fallback;

  const config: Config = {
    db: pick(overrides.db, e.KKR_DB, "./data/lancedb"),
    docsDir: pick(overrides.docsDir, e.KKR_DOCS_DIR, "./documents"),
    docsDirExplicit: Boolean(overrides.docsDir || e.KKR_DOCS_DIR),
    embedder: pick(overrides.embedder, e.KKR_EMBEDDER, "hash"),
    hashDim: e.KKR_HASH_DIM ?? 384,
    embedModel: e.KKR_EMBED_MODEL ?? "text-embedding-3-small",
    embedDim: e.KKR_EMBED_DIM,
    chatModel: e.KKR_CHAT_MODEL ?? "gpt-4o-mini",
    answerMode: pick(overrides.answerMode, e.KKR_ANSWER_MODE, "auto"),
    llmTimeoutMs: e.KKR_LLM_TIMEOUT_MS ?? 30_000,
    maxFileBytes: (e.KKR_MAX_FILE_MB ?? 50) * 1024 * 1024,
    parseTimeoutMs: e.KKR_PARSE_TIMEOUT_MS ?? 30_000,
    pruneMaxShare: e.KKR_PRUNE_MAX_SHARE ?? 0.2,
    pdfMaxMemoryMb: e.KKR_PDF_MAX_MEMORY_MB ?? 1024,
    logLevel: pick(overrides.logLevel, e.KKR_LOG_LEVEL, "info"),
    logFormat: e.KKR_LOG_FORMAT ?? "auto",
    rateLimitPerMin: e.KKR_RATE_LIMIT_PER_MIN ?? 10,
    maxQuestionChars: e.KKR_MAX_QUESTION_CHARS ?? 2000,
    openai: { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      port: e.PORT ?? 3000,
    },
    sync: syncConfigFrom(e, { sources: overrides.sources }),
  };
  if (config.embedder === "openai" && !llmConfigured(config)) {
    throw new KkrError(
      "CONFIG_INVALID",
      "KKR_EMBEDDER=openai needs OPENAI_API_KEY or OPENAI_BASE_URL. Set one, or use KKR_EMBEDDER=hash (offline).",
    );
  }
  if (config.answerMode === "llm" && !llmConfigured(config)) {
    throw new KkrError(
      "CONFIG_INVALID",
      "Answer mode llm needs OPENAI_API_KEY or OPENAI_BASE_URL. Set one, or use --mode extractive.",
    );
  }
  return config;
}
