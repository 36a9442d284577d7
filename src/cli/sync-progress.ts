import type { SyncProgress } from "../sync/sync.js";

/**
 * Web sync progress on stderr: a redrawn bar per source on a terminal (pages while
 * crawling, documents while fetching), a plain line now and then otherwise.
 */
export function syncProgressReporter(
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
) {
  const tty = Boolean(stream.isTTY);
  let lastLine = 0;
  let lastKey = "";
  return {
    update(p: SyncProgress) {
      if (p.phase === "done") {
        if (tty && lastKey !== "") stream.write("\n");
        return;
      }
      const key = `${p.source}:${p.phase}`;
      const what = p.phase === "crawl" ? `${p.pages} pages` : `${p.done}/${p.total} documents`;
      const text = `${p.source} · ${p.phase === "crawl" ? "crawling" : "fetching"} ${what}`;
      if (tty) {
        if (lastKey !== "" && key !== lastKey) stream.write("\n");
        const width = 24;
        const filled = p.total > 0 ? Math.min(width, Math.round((p.done / p.total) * width)) : 0;
        stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${text}\x1b[K`);
        lastKey = key;
        return;
      }
      if (key !== lastKey || now() - lastLine > 2000) {
        stream.write(`sync: ${text}\n`);
        lastLine = now();
        lastKey = key;
      }
    },
  };
}
