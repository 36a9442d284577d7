import type { Citation } from "../types.js";
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
  return {
    n,
    source: c.source,
    title: c.title,
    kind: c.kind,
    region: c.region,
    date: c.date,
    section: c.section,
    item: c.item,
    page: c.page,
    url: c.url,
    quote: q,
    chunkId: c.id,
  };
}
