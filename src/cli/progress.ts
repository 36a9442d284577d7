import type { IngestProgress } from "../../ingest/pipeline.js";

/**
 * Ingest progress on stderr: a redrawn bar with counts and ETA on a terminal, a plain
 * line now and then otherwise (CI logs, pipes).
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now) {
  const tty = Boolean(stream.isTTY);
  const started = now();
  let lastLine = 0;
  let lastPhase = "";
  return {
    update(p: IngestProgress) {
      const elapsed = (now() - started) / 1000;
      const rate = p.filesDone / Math.max(elapsed, 0.001);
      const eta =
        p.filesTotal > p.filesDone && rate > 0 ? Math.round((p.filesTotal - p.filesDone) / rate) : 0;
      const text = `${p.phase.padEnd(5)} ${p.filesDone}/${p.filesTotal} files · ${p.chunksEmbedded} chunks${eta ? ` · ETA ${eta}s` : ""}`;
      if (tty) {
        const width = 24;
        const filled = p.filesTotal
          ? Math.round((p.filesDone / p.filesTotal) * width)
          : p.phase === "done"
            ? width
            : 0;
        stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${text}\x1b[K`);
        if (p.phase === "done") stream.write("\n");
        return;
      }
      if (p.phase !== lastPhase || now() - lastLine > 2000 || p.phase === "done") {
        stream.write(`ingest: ${text}\n`);
        lastLine = now();
        lastPhase = p.phase;
      }
    },
  };
}
