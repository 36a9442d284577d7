import { z } from "zod";

/**
 * The web sync's part of the configuration: the variables (merged into src/config.ts's
 * schema, so configuration is still read and validated once) and what they become.
 */

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const str = () => z.preprocess(emptyToUndefined, z.string().optional());
const int = (min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).optional());

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** The shortest schedule: a site is not re-crawled more often than this. */
export const MIN_INTERVAL_MS = 60_000;

/** "6h", "30m", "1d", "90s", "1h30m" → milliseconds; "off", "0", "false", "" → null. */
export function parseInterval(value: string): number | null {
  const v = value.trim().toLowerCase();
  if (v === "" || v === "off" || v === "0" || v === "false" || v === "no") return null;
  if (!/^(?:\d+(?:\.\d+)?\s*[smhd]\s*)+$/.test(v)) return Number.NaN;
  let ms = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)\s*([smhd])/g)) {
    ms += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }
  return Math.round(ms);
}

const interval = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .refine((v) => v === undefined || !Number.isNaN(parseInterval(v)), {
      message: 'must be a duration like "6h", "30m" or "1d", or "off"',
    })
    .refine(
      (v) => {
        const ms = v === undefined ? null : parseInterval(v);
        return ms === null || ms >= MIN_INTERVAL_MS;
      },
      { message: "must be at least 1m (be kind to the sites)" },
    ),
);

/** Variable name → schema, spread into the env schema of src/config.ts. */
export const syncEnvShape = {
  KKR_SOURCES: str(),
  KKR_SYNC_USER_AGENT: str(),
  KKR_SYNC_DELAY_MS: int(0, 600_000),
  KKR_SYNC_TIMEOUT_MS: int(100, 600_000),
  KKR_SYNC_RETRIES: int(0, 10),
  KKR_SYNC_INTERVAL: interval,
  KKR_ANNOUNCE_CHANNEL: str(),
};

type SyncEnv = { [K in keyof typeof syncEnvShape]?: z.infer<(typeof syncEnvShape)[K]> };

export const DEFAULT_USER_AGENT = "kkr-bot/0.1 (+document sync)";

export interface SyncConfig {
  /** kkr.sources.json (KKR_SOURCES or --sources). */
  sourcesPath: string;
  /** Sent with every request; should name a contact (KKR_SYNC_USER_AGENT). */
  userAgent: string;
  /** false when the default User-Agent (without a contact) is used. */
  userAgentConfigured: boolean;
  /** Pause between two requests to one host (a source's delayMs or robots.txt Crawl-delay may raise it). */
  delayMs: number;
  /** Per request: time to the response headers, and the longest pause inside a body. */
  timeoutMs: number;
  /** Further attempts after a 429, 5xx, timeout or network error. */
  retries: number;
  /** How often `kkr serve` syncs; null = never (the default). */
  intervalMs: number | null;
  /** Slack channel (id or name) that new documents are announced in; null = no announcements. */
  announceChannel: string | null;
}

/** The sync settings from validated variables (all optional: `syncConfigFrom({})` gives the defaults). */
export function syncConfigFrom(env: SyncEnv, overrides: { sources?: string | undefined } = {}): SyncConfig {
  return {
    sourcesPath: overrides.sources || env.KKR_SOURCES || "./kkr.sources.json",
    userAgent: env.KKR_SYNC_USER_AGENT ?? DEFAULT_USER_AGENT,
    userAgentConfigured: env.KKR_SYNC_USER_AGENT !== undefined,
    delayMs: env.KKR_SYNC_DELAY_MS ?? 1_000,
    timeoutMs: env.KKR_SYNC_TIMEOUT_MS ?? 30_000,
    retries: env.KKR_SYNC_RETRIES ?? 3,
    intervalMs: env.KKR_SYNC_INTERVAL === undefined ? null : parseInterval(env.KKR_SYNC_INTERVAL),
    announceChannel: env.KKR_ANNOUNCE_CHANNEL?.trim() || null,
  };
}
