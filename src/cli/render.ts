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

/**
 * The one-screen summary names each item on its own line, so its sources are listed per
 * document ("[1]–[12] … — file.md") rather than once per item.
 */
function documentLines(citations: Citation[]): string[] {
  const groups = new Map<string, number[]>();
  for (const c of citations) {
    const label = `${[c.title, c.date].filter(Boolean).join(" · ")} — ${c.source}${c.url ? ` <${c.url}>` : ""}`;
    groups.set(label, [...(groups.get(label) ?? []), c.n]);
  }
  return [...groups.entries()].map(([label, ns]) => `${numberRanges(ns)} ${label}`);
}

/** [1][2][3][5] → "[1]–[3][5]". */
export function numberRanges(ns: number[]): string {
  const sorted = [...new Set(ns)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const from = sorted[i] as number;
    let to = from;
    while (sorted[i + 1] === to + 1) to = sorted[++i] as number;
    out.push(to - from >= 2 ? `[${from}]–[${to}]` : from === to ? `[${from}]` : `[${from}][${to}]`);
  }
  return out.join("");
}

export function renderAnswer(r: AskResult): string {
  const lines = [r.answer];
  if (r.note) lines.push("", `(${r.note})`);
  if (r.citations.length > 0) {
    const compact = r.mode === "summary" && (r as { detail?: boolean }).detail === false;
    lines.push("", r.language === "da" ? "Kilder:" : "Sources:");
    lines.push(...(compact ? documentLines(r.citations) : citationLines(r.citations)));
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
