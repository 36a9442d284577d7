import type { IngestSummary } from "../../ingest/pipeline.js";
import type { AskResult, FindHit } from "../answer/types.js";
import type { Citation } from "../types.js";

function citationLabel(c: Citation): string {
  const parts = [
    c.title,
    c.date,
    c.item ? `pkt. ${c.item}` : c.section.split(" › ").pop(),
    c.page ? `s. ${c.page}` : null,
  ];
  return `${parts.filter(Boolean).join(" · ")} — ${c.source}${c.url ? ` <${c.url}>` : ""}`;
}

/** One line per distinct source place: "[1][2] KKR Sjælland – nyhedsbrev … — file.txt". */
function citationLines(citations: Citation[]): string[] {
  const groups = new Map<string, number[]>();
  for (const c of citations) {
    const label = citationLabel(c);
    groups.set(label, [...(groups.get(label) ?? []), c.n]);
  }
  return [...groups.entries()].map(([label, ns]) => `${ns.map((n) => `[${n}]`).join("")} ${label}`);
}

export function renderAnswer(r: AskResult): string {
  const lines = [r.answer];
  if (r.note) lines.push("", `(${r.note})`);
  if (r.citations.length > 0) {
    lines.push("", r.language === "da" ? "Kilder:" : "Sources:");
    lines.push(...citationLines(r.citations));
  }
  return lines.join("\n");
}

export function renderFind(hits: FindHit[], lang: "da" | "en"): string {
  if (hits.length === 0) return lang === "da" ? "Ingen dokumenter matcher." : "No documents match.";
  return hits
    .map((h, i) =>
      [
        `${i + 1}. ${h.title}${h.date ? ` (${h.date})` : ""} — ${h.source}`,
        `   ${[h.region === "all" ? (lang === "da" ? "alle KKR" : "all KKR") : h.region ? `KKR ${h.region}` : null, h.kind].filter(Boolean).join(" · ")}${h.url ? ` · ${h.url}` : ""}`,
        `   ${h.snippet}`,
      ].join("\n"),
    )
    .join("\n");
}

export function renderIngestSummary(s: IngestSummary): string {
  const lines = [
    `Indexed ${s.dir} into ${s.db} (${s.embedder}) in ${(s.durationMs / 1000).toFixed(1)} s`,
    `added ${s.added.length}, updated ${s.updated.length}, unchanged ${s.unchanged}, removed ${s.removed.length}, skipped ${s.skipped.length}; embedded ${s.chunksEmbedded} chunks`,
    `index now holds ${s.documents} documents, ${s.chunks} chunks`,
  ];
  for (const k of s.skipped) lines.push(`  skipped ${k.source}: ${k.reason}`);
  return lines.join("\n");
}
