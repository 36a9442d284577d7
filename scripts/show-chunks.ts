// Developer aid: prints the chunks of one indexed document as ingest stored them, in order.
// Usage: node --import tsx scripts/show-chunks.ts DB FILE-NAME
import { basename } from "node:path";
import { KkrStore } from "../src/store/store.js";

const [db, name] = process.argv.slice(2);
if (!db || !name) throw new Error("usage: show-chunks.ts DB FILE-NAME");
const store = await KkrStore.open(db);
const docs = (await store.listDocuments()).filter((d) => basename(d.source) === basename(name));
if (docs.length === 0) throw new Error(`no indexed document is named ${name}`);
const chunks = await store.chunksWhere(`docId = '${docs[0]!.id.replaceAll("'", "''")}'`);
for (const c of chunks.sort((x, y) => x.start - y.start))
  console.log(`--- ${c.id} § ${c.section} (date ${c.date})\n${c.text}`);
store.close();
