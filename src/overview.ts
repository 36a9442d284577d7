/**
 * What the index holds, in a form a person can take in at a glance (the Slack App Home)
 * and from which the assistant builds its suggested prompts: documents per region, the
 * newest meeting of each region, the newest documents, well-used acronyms, last sync.
 */
import { listMeetings } from "./meetings/meetings.js";
import type { IndexOverview } from "./service.js";
import type { KkrStore } from "./store/store.js";
import { REGIONS, type Region } from "./types.js";

export async function indexOverview(store: KkrStore): Promise<IndexOverview> {
  const [docs, meetings, glossary, meta] = await Promise.all([
    store.listDocuments(),
    listMeetings(store),
    store.glossary(),
    store.readMeta(),
  ]);
  const perRegion = new Map<Region | null, number>();
  for (const d of docs) perRegion.set(d.region, (perRegion.get(d.region) ?? 0) + 1);
  const order = (r: Region | null) => (r === null ? 99 : r === "all" ? 98 : REGIONS.indexOf(r));
  const byRegion = [...perRegion.entries()]
    .map(([region, documents]) => ({ region, documents }))
    .sort((a, b) => order(a.region) - order(b.region));

  const latestMeetings: IndexOverview["latestMeetings"] = [];
  const seen = new Set<Region>();
  // listMeetings is newest first: the first of each region is its newest
  for (const m of meetings) {
    if (seen.has(m.region)) continue;
    seen.add(m.region);
    latestMeetings.push({
      id: m.id,
      region: m.region,
      date: m.date,
      place: m.place,
      kinds: [...new Set(m.documents.map((d) => d.kind))],
    });
  }

  const latestDocuments = docs
    .map((d) => ({
      title: d.title,
      kind: d.kind,
      region: d.region,
      date: d.meetingDate ?? d.publishedDate,
      source: d.source,
    }))
    .sort((a, b) => (b.date ?? "").localeCompare(a.date ?? "") || a.source.localeCompare(b.source))
    .slice(0, 5);

  // An acronym defined in several documents is one readers meet often.
  const acronymDocs = new Map<string, { expansion: string; docs: Set<string> }>();
  for (const g of glossary) {
    const entry = acronymDocs.get(g.acronym) ?? { expansion: g.expansion, docs: new Set<string>() };
    entry.docs.add(g.docId);
    acronymDocs.set(g.acronym, entry);
  }
  const acronyms = [...acronymDocs.entries()]
    .sort((a, b) => b[1].docs.size - a[1].docs.size || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([acronym, e]) => ({ acronym, expansion: e.expansion }));

  return {
    documents: docs.length,
    byRegion,
    latestMeetings,
    latestDocuments,
    acronyms,
    updatedAt: meta?.updatedAt ?? null,
  };
}
