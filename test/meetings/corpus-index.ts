import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runIngest } from "../../ingest/pipeline.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { KkrStore } from "../../src/store/store.js";

/** The reference corpus, read where the tests expect it (never copied into the project). */
export const CORPUS_DIR = join(process.cwd(), "..", "shared", "corpus");

/** A real LanceDB index of the reference corpus in a temp dir, and how to remove it. */
export async function indexCorpus(): Promise<{ store: KkrStore; dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "kkr-meetings-"));
  const store = await KkrStore.open(dir, { create: true });
  await runIngest(store, new HashEmbedder(), {
    dir: CORPUS_DIR,
    maxFileBytes: 10_000_000,
    parseTimeoutMs: 20_000,
  });
  return {
    store,
    dir,
    cleanup: async () => {
      store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
