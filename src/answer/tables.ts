import { fold, type QueryAnalysis } from "../retrieval/query.js";
import municipalities from "../text/municipalities.json" with { type: "json" };
import { indexText, matchTerm, type ScoredUnit } from "./evidence.js";
import { isTableRow } from "./units.js";

// Tables rebuilt by ingest ("Aalborg | 412 | 436"): a row the question names is answered
// outright, and a row is always quoted under its header row.

/**
 * "Hvor mange … Thisted Kommune?" over a table: the row whose first cell names what the
 * question names (a municipality, or a name it insists on), best first.
 */
export function tableLookup(a: QueryAnalysis, ok: ScoredUnit[]): ScoredUnit | undefined {
  const names = [...a.entities.map((e) => fold(e[0] ?? "")), ...namedMunicipalities(fold(a.question))].filter(
    (n) => n.length >= 3,
  );
  if (names.length === 0 || !["howmany", "what", "who", "when", "where"].includes(a.type)) return undefined;
  // what the question asks about besides the row's name must be in the table's header or
  // heading (a cost question is not answered by a table of contributions)
  const named = new Set(names);
  const topic = a.concepts.filter((g) => !g.some((t) => named.has(fold(t))));
  return ok.find((u) => {
    if (!isTableRow(u.text)) return false;
    const first = fold(u.text.split("|")[0]?.trim() ?? "");
    if (!names.some((n) => first === n || first.startsWith(`${n} `))) return false;
    const context = indexText(
      `${u.passage.chunk.title}\n${u.passage.chunk.section}\n${u.passage.chunk.text.slice(0, u.end)}`,
    );
    const found = topic.filter((g) => g.some((t) => matchTerm(t, context) > 0)).length;
    return topic.length === 0 || found / topic.length >= 0.6;
  });
}
const MUNICIPALITY_NAMES = (municipalities as string[]).map(fold);
// compiled once, not per answer
const MUNICIPALITY_RES = MUNICIPALITY_NAMES.map((m) => ({
  m,
  re: new RegExp(`(?<!\\p{L})${m}(?!\\p{L})`, "u"),
}));
const namedMunicipalities = (q: string) => MUNICIPALITY_RES.filter(({ re }) => re.test(q)).map(({ m }) => m);

/** A table row is quoted with the table's header row, which says what its numbers are. */
export function tableRow(u: ScoredUnit, all: ScoredUnit[]): ScoredUnit[] | null {
  if (!isTableRow(u.text)) return null;
  const header = all
    .filter(
      (h) =>
        h.passage === u.passage &&
        h.start < u.start &&
        isTableRow(h.text) &&
        // a header row's cells are words, or years over the columns
        !/\|\s*(?!(?:19|20)\d{2}\s*(?:\||$))[-+]?\d[^|]*(\||$)/.test(h.text),
    )
    .sort((x, y) => y.start - x.start)[0];
  return header ? [header, u] : null;
}
