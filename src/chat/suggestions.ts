/**
 * Suggested prompts for a new conversation, built from what the index actually holds, so
 * each one works: a summary of the newest meeting of the regions with meetings, a question
 * about an acronym the documents define, and a search for the newest document.
 */
import { kindName, kkrName } from "../meetings/resolve-ref.js";
import type { IndexOverview } from "../service.js";
import { formatDanishDate, formatEnglishDate } from "../text/dates.js";
import type { Language } from "../types.js";

export interface SuggestedPrompt {
  /** What the button shows. */
  title: string;
  /** What is sent when it is clicked (routed like typed text). */
  message: string;
}

/** Slack shows at most four. */
export const MAX_PROMPTS = 4;

export function suggestedPrompts(o: IndexOverview, language: Language): SuggestedPrompt[] {
  const prompts: SuggestedPrompt[] = [];
  for (const m of o.latestMeetings.slice(0, 2)) {
    const kkr = kkrName(m.region);
    const message =
      language === "da" ? `opsummer seneste møde i ${kkr}` : `summary of the latest ${kkr} meeting`;
    prompts.push({
      title: language === "da" ? `Opsummer seneste møde i ${kkr}` : `Summary of the latest ${kkr} meeting`,
      message,
    });
  }
  const acronym = o.acronyms[0];
  if (acronym) {
    const q =
      language === "da" ? `Hvad står ${acronym.acronym} for?` : `What does ${acronym.acronym} stand for?`;
    prompts.push({ title: q, message: q });
  }
  const doc = o.latestDocuments[0];
  if (doc) {
    const when = doc.date
      ? language === "da"
        ? formatDanishDate(doc.date)
        : formatEnglishDate(doc.date)
      : "";
    const what = [kindName(doc.kind, language), doc.region ? kkrName(doc.region) : null, when]
      .filter(Boolean)
      .join(" ");
    prompts.push({ title: `find ${what}`, message: `find ${what}` });
  }
  if (prompts.length === 0) {
    const help = language === "da" ? "hjælp" : "help";
    prompts.push({ title: help, message: help });
  }
  return prompts.slice(0, MAX_PROMPTS);
}
