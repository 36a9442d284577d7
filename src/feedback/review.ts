/**
 * Reading back the 👍/👎 votes stored from Slack: list them (question, answer, sources,
 * user, time), and export them as evaluation cases (../shared/eval/README.md format) so a
 * voted-down answer becomes a test question that `kkr eval` runs.
 */
import { basename } from "node:path";
import { ABSTAIN_LINE } from "../answer/llm-answerer.js";
import type { EvalCase } from "../eval/eval.js";
import type { Citation } from "../types.js";

export interface FeedbackEntry {
  id: string;
  /** ISO time of the vote. */
  at: string;
  user: string;
  vote: "up" | "down";
  question: string;
  answer: string;
  citations: Citation[];
  channel: string | null;
  ts: string | null;
}

export interface FeedbackFilter {
  /** ISO date (YYYY-MM-DD, YYYY-MM or YYYY): votes on or after it. */
  since?: string;
  /** Only 👎. */
  down?: boolean;
}

/** Rows of the `feedback` table → entries, oldest first; malformed rows are skipped. */
export function feedbackEntries(rows: Record<string, unknown>[]): FeedbackEntry[] {
  const out: FeedbackEntry[] = [];
  for (const r of rows) {
    if (r.vote !== "up" && r.vote !== "down") continue;
    if (typeof r.at !== "string" || typeof r.question !== "string") continue;
    out.push({
      id: String(r.id ?? ""),
      at: r.at,
      user: String(r.user ?? ""),
      vote: r.vote,
      question: r.question,
      answer: String(r.answer ?? ""),
      citations: parseCitations(r.citations),
      channel: typeof r.channel === "string" ? r.channel : null,
      ts: typeof r.ts === "string" ? r.ts : null,
    });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

function parseCitations(raw: unknown): Citation[] {
  if (typeof raw !== "string" || raw === "") return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) ? (parsed as Citation[]).filter((c) => typeof c?.source === "string") : [];
  } catch {
    return [];
  }
}

export function filterFeedback(entries: FeedbackEntry[], filter: FeedbackFilter): FeedbackEntry[] {
  // ISO strings compare as dates: "2024-05-01T09:00Z" >= "2024-05" >= "2024"
  return entries.filter(
    (e) => (!filter.since || e.at >= filter.since) && (!filter.down || e.vote === "down"),
  );
}

/** True when the stored answer was the "not found" answer (it leads with the abstain line). */
export function wasAbstain(e: FeedbackEntry): boolean {
  const answer = e.answer.trim();
  return answer === "" || Object.values(ABSTAIN_LINE).some((line) => answer.startsWith(line));
}

/**
 * One evaluation case per question and vote (the latest vote wins):
 * - 👍 on an answer: the same quoted text and a cited source must come back;
 * - 👍 on "not found": it must still say so;
 * - 👎 on an answer: the voted-down text must not come back (add `expect_any` with the
 *   right answer when you know it);
 * - 👎 on "not found": it must answer.
 */
export function toEvalCases(entries: FeedbackEntry[]): (EvalCase & { note: string })[] {
  const latest = new Map<string, FeedbackEntry>();
  for (const e of entries) latest.set(`${e.vote}\u0000${e.question.trim().toLowerCase()}`, e);
  const cases: (EvalCase & { note: string })[] = [];
  let n = 0;
  for (const e of latest.values()) {
    if (!e.question.trim()) continue;
    n++;
    const id = `feedback-${e.vote}-${e.at.slice(0, 10).replaceAll("-", "")}-${n}`;
    const note = `${e.vote === "up" ? "👍" : "👎"} ${e.at}`;
    const sources = [...new Set(e.citations.map((c) => basename(c.source)))];
    const fragment = answerFragment(e.answer);
    if (wasAbstain(e) || !fragment) {
      cases.push({ id, question: e.question, expect_abstain: e.vote === "up", note });
    } else if (e.vote === "up") {
      cases.push({
        id,
        question: e.question,
        expect_any: [fragment],
        ...(sources.length > 0 ? { expect_source: sources } : {}),
        note,
      });
    } else {
      cases.push({ id, question: e.question, expect_none: [fragment], note });
    }
  }
  return cases;
}

/**
 * A stretch of the answer that identifies it: its first quoted line (or sentence), up to
 * the first citation marker, cut at a word boundary — an exact part of the answer text.
 */
export function answerFragment(answer: string, max = 80): string | null {
  const lines = answer
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const quoted = lines.find((l) => l.startsWith(">"));
  const source = quoted ? quoted.replace(/^>\s*(?:[-•*]\s+)?/, "") : (lines[0] ?? "");
  let text = source.split(/\s*\[\d+\]/)[0]?.trim() ?? "";
  if (text.length > max) {
    const cut = text.slice(0, max);
    const space = cut.lastIndexOf(" ");
    text = space > max * 0.5 ? cut.slice(0, space) : cut;
  }
  text = text.replace(/[\s,;:–-]+$/u, "");
  return text.length >= 8 ? text : null;
}

/** The votes as readable text, newest last. */
export function renderFeedback(entries: FeedbackEntry[]): string {
  if (entries.length === 0) return "No feedback matches.";
  const up = entries.filter((e) => e.vote === "up").length;
  const blocks = entries.map((e) => {
    const where = [e.user && `by ${e.user}`, e.channel && `in ${e.channel}`].filter(Boolean).join(" ");
    const answer = e.answer.replace(/\s+/g, " ").trim();
    const sources = [
      ...new Set(
        e.citations.map(
          (c) => `${c.source}${c.item ? ` (pkt. ${c.item})` : c.page ? ` (s. ${c.page})` : ""}`,
        ),
      ),
    ];
    return [
      `${e.at.replace("T", " ").slice(0, 16)}  ${e.vote === "up" ? "👍" : "👎"}  ${where}`.trimEnd(),
      `  Q: ${e.question}`,
      `  A: ${answer.length > 240 ? `${answer.slice(0, 239)}…` : answer}`,
      ...(sources.length > 0 ? [`  Sources: ${sources.join("; ")}`] : []),
    ].join("\n");
  });
  return `${blocks.join("\n\n")}\n\n${entries.length} votes: ${up} 👍, ${entries.length - up} 👎`;
}
