import type { QueryAnalysis } from "./query.js";

/**
 * Splits a question that asks two things into its parts: "Hvor og hvornår holder KKR X møde
 * i september?" → "Hvor holder …?" + "Hvornår holder …?"; "Hvem var formand i 2018, og hvem
 * blev formand i 2022?" → two questions; "Who chairs X and where does she work?" → two.
 * A single question comes back alone.
 */
const QW_DA = "hvem|hvor|hvornår|hvad|hvilke|hvilken|hvilket|hvordan|hvorfor|hvor mange";
const QW_EN = "who|where|when|what|which|how|why|how many";
const QW = `${QW_DA}|${QW_EN}`;

export function splitQuestion(question: string): string[] {
  const q = question.trim();
  // "Hvor og hvornår …", "Where and when …": two question words over one predicate
  const pair = new RegExp(`^(${QW})\\s+(?:og|and)\\s+(${QW})\\s+(.+)$`, "iu").exec(q);
  if (pair?.[1] && pair[2] && pair[3]) return [`${cap(pair[1])} ${pair[3]}`, `${cap(pair[2])} ${pair[3]}`];
  // "…, og hvem …?" / "… and where …?": a second question after a conjunction
  const second = new RegExp(`^(.{8,}?)[,;]?\\s+(?:og|and|samt)\\s+((?:${QW})\\b.{3,})$`, "iu").exec(q);
  if (second?.[1] && second[2] && new RegExp(`^(${QW})\\b`, "iu").test(second[1])) {
    const first = second[1].replace(/[,;]\s*$/, "");
    return [/[?]$/.test(first) ? first : `${first}?`, completeOffice(first, cap(second[2]))];
  }
  return [q];
}

const OFFICE =
  "formand|formanden|næstformand|næstformanden|direktør|direktøren|sekretariatschef|chair|vice-chair|deputy chair|director";

/**
 * "Hvem er formand for KKR X, og hvem er næstformand?": the second office is of the same body,
 * so the part says so ("Hvem er næstformand for KKR X?") and is judged like a whole question.
 */
function completeOffice(first: string, part: string): string {
  const body = new RegExp(`\\b(?:${OFFICE})\\s+((?:for|i|af|of|in|at)\\s+.+?)\\s*\\??$`, "iu").exec(
    first,
  )?.[1];
  const bare = new RegExp(`^(.*\\b(?:${OFFICE}))\\s*\\??$`, "iu").exec(part)?.[1];
  return body && bare ? `${bare} ${body}?` : part;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A later part inherits what it leaves out from the first part: its region, the names it
 * insists on and the kinds of document ("… og hvor er vedkommende ansat?").
 */
export function inheritContext(first: QueryAnalysis, part: QueryAnalysis): QueryAnalysis {
  const regions = part.regions.length > 0 ? part.regions : first.regions;
  return {
    ...part,
    regions,
    region: regions.length === 1 ? (regions[0] ?? null) : null,
    entities: part.entities.length > 0 ? part.entities : first.entities,
    kinds: part.kinds.length > 0 ? part.kinds : first.kinds,
    dates: part.dates.length > 0 ? part.dates : first.dates,
    ftsQuery: [part.ftsQuery, ...(part.regions.length > 0 ? [] : first.regions.map((r) => r.toLowerCase()))]
      .join(" ")
      .trim(),
    embedText: `${part.embedText} ${part.regions.length > 0 ? "" : first.regions.join(" ")}`.trim(),
  };
}
