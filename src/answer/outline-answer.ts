import type { QueryAnalysis } from "../retrieval/query.js";
import type { KkrStore, StoredChunk } from "../store/store.js";
import type { Citation } from "../types.js";
import { citationFor } from "./citations.js";
import { describeDocument } from "./describe-source.js";
import { indexText, matchTerm } from "./evidence.js";
import type { AnswerOutput, Passage } from "./types.js";

const NUMBERED = /^\d{1,2}\.?\s+\S/;

/**
 * "Hvilke fagområder …?" / "What are the six policy areas …?" when the document answers
 * with numbered sub-sections ("03 / FAGOMRÅDER › 1. Sundhedsområdet", "› 2. Socialområdet"
 * …) rather than a list: the answer is those section titles, each cited at its heading.
 */
export async function outlineAnswer(
  store: KkrStore,
  a: QueryAnalysis,
  passages: Passage[],
): Promise<AnswerOutput | null> {
  if (a.type !== "list" || a.concepts.length === 0) return null;
  for (const p of passages) {
    const parts = p.chunk.section.split(" › ");
    const child = parts[parts.length - 1] ?? "";
    if (parts.length < 2 || !NUMBERED.test(child)) continue;
    const parent = parts.slice(0, -1).join(" › ");
    // the parent heading must be what the question asks about ("fagområder")
    const head = indexText(parts[parts.length - 2] ?? "");
    if (!a.concepts.some((g) => g.some((t) => matchTerm(t, head) > 0))) continue;
    const chunks = await store.chunksWhere(`docId = '${p.chunk.docId.replaceAll("'", "''")}'`);
    const children = new Map<string, StoredChunk>();
    for (const c of chunks.sort((x, y) => x.ordinal - y.ordinal)) {
      if (!c.section.startsWith(`${parent} › `)) continue;
      const title = c.section.slice(parent.length + 3).split(" › ")[0] ?? "";
      if (NUMBERED.test(title) && !children.has(title)) children.set(title, c);
    }
    if (children.size < 2 || (a.listCount !== null && children.size !== a.listCount)) continue;
    const citations: Citation[] = [];
    const lines: string[] = [];
    [...children.entries()].forEach(([title, c], i) => {
      const n = i + 1;
      const bare = title.replace(/^\d{1,2}\.?\s+/, "");
      const quote = c.text.includes(bare) ? bare : (c.text.split("\n")[0] ?? bare);
      citations.push(citationFor({ n, chunk: c, score: p.score }, quote, n));
      lines.push(`> ${title} [${n}]`);
    });
    const lang = a.language;
    const lead =
      lang === "da"
        ? `Ifølge ${describeDocument(p.chunk, "da")}, ${parts[parts.length - 2]}:`
        : `According to ${describeDocument(p.chunk, "en")}, ${parts[parts.length - 2]}:`;
    return { answer: `${lead}\n${lines.join("\n")}`, abstained: false, mode: "extractive", citations };
  }
  return null;
}
