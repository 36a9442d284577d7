import { KkrStore } from "../../src/store/store.js";
import { buildIndex } from "../helpers/index-fixture.js";

/** A real LanceDB index of the reference corpus in a temp dir, open, and how to remove it. */
export async function indexCorpus(): Promise<{ store: KkrStore; dir: string; cleanup: () => Promise<void> }> {
  const index = await buildIndex();
  const store = await KkrStore.open(index.db);
  return {
    store,
    dir: index.db,
    cleanup: async () => {
      store.close();
      index.cleanup();
    },
  };
}
