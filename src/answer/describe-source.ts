import { formatDanishDate, formatEnglishDate } from "../text/dates.js";
import type { ChunkRecord, Language } from "../types.js";

type SourceFields = Pick<ChunkRecord, "kind" | "region" | "date" | "title" | "item" | "section" | "page">;

const KKR = (region: string | null) => (region && region !== "all" ? `KKR ${region}` : "KKR");
const genitive = (name: string) => (/[sxz]$/i.test(name) ? `${name}'` : `${name}s`);

/** "dagsordenen til KKR Syddanmarks møde 11. november 2020" / "the agenda for the KKR Syddanmark meeting on 11 November 2020". */
export function describeDocument(s: SourceFields, lang: Language): string {
  const kkr = KKR(s.region);
  const date = s.date ? (lang === "da" ? formatDanishDate(s.date) : formatEnglishDate(s.date)) : null;
  if (lang === "da") {
    switch (s.kind) {
      case "dagsorden":
        return date
          ? `dagsordenen til ${genitive(kkr)} møde ${date}`
          : `dagsordenen til ${genitive(kkr)} møde`;
      case "referat":
        return date ? `referatet af ${genitive(kkr)} møde ${date}` : `referatet af ${genitive(kkr)} møde`;
      case "nyhedsbrev":
        return date ? `nyhedsbrevet fra ${kkr} (${date})` : `nyhedsbrevet fra ${kkr}`;
      case "folder":
        return date ? `folderen om ${kkr} (${date})` : `folderen om ${kkr}`;
      case "beretning":
        return date ? `KKR's beretning ${date.slice(-4)}` : "KKR's beretning";
      case "nyhed":
        return date ? `nyheden «${s.title}» (${date})` : `nyheden «${s.title}»`;
      default:
        return `«${s.title}»`;
    }
  }
  switch (s.kind) {
    case "dagsorden":
      return date ? `the agenda for the ${kkr} meeting on ${date}` : `the agenda for the ${kkr} meeting`;
    case "referat":
      return date ? `the minutes of the ${kkr} meeting on ${date}` : `the minutes of the ${kkr} meeting`;
    case "nyhedsbrev":
      return date ? `the ${kkr} newsletter (${date})` : `the ${kkr} newsletter`;
    case "folder":
      return date ? `the ${kkr} folder (${date})` : `the ${kkr} folder`;
    case "beretning":
      return date ? `the KKR annual report ${date.slice(-4)}` : "the KKR annual report";
    case "nyhed":
      return date ? `the news article “${s.title}” (${date})` : `the news article “${s.title}”`;
    default:
      return `“${s.title}”`;
  }
}

/** "pkt. 3.1 Siden sidst" / "item 3.1 Siden sidst", or the last heading, plus the page. */
export function describeLocation(s: SourceFields, lang: Language): string {
  const parts: string[] = [];
  const last = s.section.split(" › ").pop()?.trim() ?? "";
  if (s.item) {
    const title = last.replace(/^\d+(?:\.\d+)*\.?\s*/, "");
    const itemTitle = s.section
      .split(" › ")
      .find((p) => p.trim().startsWith(`${s.item} `) || p.trim().startsWith(`${s.item}. `))
      ?.replace(/^\d+(?:\.\d+)*\.?\s*/, "");
    parts.push(`${lang === "da" ? "pkt." : "item"} ${s.item} ${itemTitle ?? title}`.trim());
  } else if (last) {
    parts.push(last);
  }
  if (s.page) parts.push(`${lang === "da" ? "s." : "p."} ${s.page}`);
  return parts.join(", ");
}

/** The line an extractive answer starts with: "Ifølge dagsordenen …, pkt. 3.1 Siden sidst:". */
export function leadIn(s: SourceFields, lang: Language): string {
  const where = describeLocation(s, lang);
  const doc = describeDocument(s, lang);
  const head = lang === "da" ? `Ifølge ${doc}` : `According to ${doc}`;
  return `${head}${where ? `, ${where}` : ""}:`;
}
