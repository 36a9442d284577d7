import type { Chunk, Citation } from "../types.js";
import type { Passage } from "./types.js";

export const MAX_QUOTE_CHARS = 300;

/**
 * A citation for `passage` quoting `quote`, which must be an exact substring of the
 * chunk text. Longer quotes are cut at a word boundary (still a substring).
 */
export function citationFor(passage: Passage, quote: string, n = passage.n): Citation {
  const c = passage.chunk;
  let q = quote.trim();
  if (!c.text.includes(q)) q = c.text.slice(0, MAX_QUOTE_CHARS).trim();
  if (q.length > MAX_QUOTE_CHARS) {
    const cut = q.slice(0, MAX_QUOTE_CHARS);
    const space = cut.lastIndexOf(" ");
    q = (space > MAX_QUOTE_CHARS * 0.6 ? cut.slice(0, space) : cut).trimEnd();
  }
  const at = locate(c, Math.max(0, c.text.indexOf(q)));
  return {
    n,
    source: c.source,
    title: c.title,
    kind: c.kind,
    region: c.region,
    date: c.date,
    section: at.section,
    item: at.item,
    page: at.page,
    url: c.url,
    quote: q,
    chunkId: c.id,
  };
}

/** Section, agenda item and page at `offset` in the chunk (a chunk may span several). */
export function locate(
  c: Pick<Chunk, "section" | "item" | "page" | "subsections" | "pageBreaks">,
  offset: number,
): { section: string; item: string | null; page: number | null } {
  let section = c.section;
  let item = c.item;
  for (const s of c.subsections ?? []) {
    if (s.offset > offset) break;
    section = s.section;
    item = s.item;
  }
  let page = c.page;
  for (const p of c.pageBreaks ?? []) if (p.offset <= offset) page = p.page;
  return { section, item, page };
}
