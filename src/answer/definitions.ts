import { fold, type QueryAnalysis } from "../retrieval/query.js";
import type { ScoredUnit } from "./evidence.js";

// Acronyms the documents spell out, answered outright whatever the model's confidence.

/** "Hvad står DEB for?": the best unit that spells the acronym out as the glossary has it. */
export function spelledOut(a: QueryAnalysis, ok: ScoredUnit[]): ScoredUnit | undefined {
  const d = a.definition;
  if (!d || (a.type !== "define" && a.type !== "what")) return undefined;
  // the shortest such unit: the line that says it, not the list around it
  return ok
    .filter((u) => u.text.includes(d.expansion) && u.text.includes(d.acronym))
    .sort((x, y) => x.text.length - y.text.length)[0];
}

/**
 * "Hvad står DAS for?" when the glossary has no entry: a unit among the best that states the
 * long form outright — "X står for Y", "Y (X)", or an abbreviation list's "X Y…" — where Y
 * starts with X's first letter.
 */
export function statedExpansion(
  a: QueryAnalysis,
  ok: ScoredUnit[],
): { unit: ScoredUnit; definition: { acronym: string; expansion: string } } | null {
  if (a.type !== "define") return null;
  const acronym = /\b([A-ZÆØÅ]{2,8})\b/.exec(a.question)?.[1];
  if (!acronym) return null;
  const x = escapeRe(acronym);
  const long = "(\\p{Lu}[\\p{L}-]*(?:[ \\t]+[\\p{L}-]+){0,8})";
  const patterns = [
    new RegExp(
      `\\b${x}\\s+(?:står for|stands for|betyder|means|er en forkortelse for|is short for)\\s+${long}`,
      "u",
    ),
    new RegExp(`${long}\\s*\\(\\s*${x}\\s*\\)`, "u"),
    new RegExp(`(?:^|\\n|\\|)[ \\t]*${x}[ \\t]*(?:[:–|-][ \\t]*|[ \\t])${long}`, "u"),
  ];
  const initial = fold(acronym[0] ?? "");
  for (const unit of ok.slice(0, 8)) {
    const listed = spelledAfter(unit.text, acronym);
    if (listed) return { unit, definition: { acronym, expansion: listed } };
    for (const [k, re] of patterns.entries()) {
      const m = re.exec(unit.text);
      if (!m?.[1]) continue;
      let words = m[1].trim().split(/\s+/);
      // "… beskriver Den Administrative Styregruppe (DAS)": the long form starts at the first
      // capitalised word with the acronym's initial
      if (k === 1) {
        const from = words.findIndex((w) => /^\p{Lu}/u.test(w) && fold(w[0] ?? "") === initial);
        words = from >= 0 ? words.slice(from) : [];
      } else {
        // "KKR står for Kommunekontaktråd og består af …": up to the verb or clause
        const stop = words.findIndex(
          (w, i) => i > 0 && /^(og|som|der|er|består|har|blev|and|is|which|who|was)$/i.test(w),
        );
        if (stop > 0) words = words.slice(0, stop);
      }
      const expansion = words.join(" ").replace(/[.,;:]+$/, "");
      if (!expansion || expansion.toUpperCase() === acronym) continue;
      if (fold(expansion[0] ?? "") !== initial) continue;
      return { unit, definition: { acronym, expansion } };
    }
  }
  return null;
}

/**
 * An abbreviation list run into one line ("… DAS Den Administrative Styregruppe for …"):
 * the words after the acronym whose capitalised initials spell it, in order.
 */
function spelledAfter(text: string, acronym: string): string | null {
  const at = new RegExp(`(?<![\\p{L}])${escapeRe(acronym)}\\s+`, "u").exec(text);
  if (!at) return null;
  const words = text
    .slice(at.index + at[0].length)
    .split(/\s+/)
    .slice(0, 12);
  let k = 0;
  let end = 0;
  for (const [i, w] of words.entries()) {
    if (k === acronym.length) break;
    if (/^(og|for|i|af|til|of|and|the)$/i.test(w)) continue;
    if (!/^\p{Lu}/u.test(w) && i === 0) return null;
    if (fold(w[0] ?? "") !== fold(acronym[k] ?? "")) return null;
    k++;
    end = i + 1;
  }
  return k === acronym.length
    ? words
        .slice(0, end)
        .join(" ")
        .replace(/[.,;:]+$/, "")
    : null;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
