// Developer aid: prints the chunks of one indexed document as ingest stored them.
// Usage: node --import tsx scripts/show-chunks.ts DB FILE-NAME
import { loadConfig } from "../src/config.js";
import { Kkr } from "../src/kkr.js";

const [db, name] = process.argv.slice(2);
if (!db || !name) throw new Error("usage: show-chunks.ts DB FILE-NAME");
const kkr = await Kkr.open(loadConfig({ KKR_DB: db, KKR_LOG_LEVEL: "silent" }), {
  llmAnswerer: null,
  rewriter: null,
});
const { passages } = await kkr.retrieve(name.replace(/\.[a-z]+$/, "").replace(/[-_]/g, " "));
const seen = new Set<string>();
for (const p of passages.filter((x) => x.chunk.source.endsWith(name))) {
  if (seen.has(p.chunk.id)) continue;
  seen.add(p.chunk.id);
  console.log(`--- ${p.chunk.id} § ${p.chunk.section} (date ${p.chunk.date})\n${p.chunk.text}`);
}
await kkr.close();
