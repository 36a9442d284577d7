import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Config, loadConfig } from "../../src/config.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { KkrStore } from "../../src/store/store.js";
import { runSyncJob, type SyncJobOptions } from "../../src/sync/sync-job.js";
import type { SyncSidecar } from "../../src/sync/sync-sidecar.js";
import { tempDir } from "../helpers/index-fixture.js";

export const TEST_UA = "kkr-bot-test/1.0 (+mailto:drift@example.dk)";

/** A documents folder, an index and a sources file in a temp folder, and a way to run `kkr sync` in-process. */
export async function syncEnv(sources: unknown, env: Record<string, string> = {}) {
  const dir = tempDir("kkr-sync-");
  const sourcesPath = join(dir.path, "kkr.sources.json");
  writeFileSync(sourcesPath, JSON.stringify(sources, null, 2));
  const config: Config = loadConfig({
    KKR_DB: join(dir.path, "db"),
    KKR_DOCS_DIR: join(dir.path, "docs"),
    KKR_SOURCES: sourcesPath,
    KKR_SYNC_DELAY_MS: "0",
    KKR_SYNC_RETRIES: "1",
    KKR_SYNC_TIMEOUT_MS: "3000",
    KKR_SYNC_USER_AGENT: TEST_UA,
    KKR_LOG_LEVEL: "silent",
    ...env,
  });
  const store = await KkrStore.open(config.db, { create: true });
  const embedder = new HashEmbedder();
  return {
    dir: dir.path,
    docs: config.docsDir,
    config,
    store,
    sourcesPath,
    run: (extra: Partial<SyncJobOptions> = {}) =>
      runSyncJob({ config, store, embedder, retryBaseMs: 5, ...extra }),
    writeSources: (value: unknown) => writeFileSync(sourcesPath, JSON.stringify(value, null, 2)),
    sidecar: (file: string) =>
      JSON.parse(readFileSync(join(config.docsDir, `${file}.json`), "utf8")) as SyncSidecar,
    exists: (file: string) => existsSync(join(config.docsDir, file)),
    /** Every file under the documents folder, hidden ones included. */
    allFiles: () =>
      existsSync(config.docsDir)
        ? (readdirSync(config.docsDir, { recursive: true }) as string[]).map((f) => f.replace(/\\/g, "/"))
        : [],
    cleanup: () => {
      try {
        store.close();
      } catch {
        // closed by the test already
      }
      dir.cleanup();
    },
  };
}

/** The local file (relative to the documents folder) a url of the fixture site is saved as. */
export const fileOf = (source: string, path: string, ext = "") => `${source}${path}${ext}`;
