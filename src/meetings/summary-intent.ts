/**
 * Tells a request for a meeting summary ("opsummer mødet i KKR Syddanmark i november 2020",
 * "summarise the last Sjælland meeting", "what happened at the Syddanmark meeting in
 * November 2020?") from an ordinary question that merely mentions a meeting ("Where was the
 * KKR Syddanmark meeting on 11 November 2020 held?"), so `ask` can route it to the summary.
 */
import { findDates } from "../text/dates.js";
import { detectRegions } from "../text/regions.js";

export interface SummaryRequest {
  /** The meeting reference, for resolveMeeting: "mødet i KKR Syddanmark i november 2020". */
  ref: string;
}

// Verbs and nouns that ask for a summary on their own; the object must be a meeting.
const SUMMARY_WORD =
  /(?<![\p{L}])(?:opsumm?[eé]r(?:e|ing(?:en)?)?|resum[eé](?:et|t)?|sammenfat(?:ning(?:en)?|te)?|sammendrag(?:et)?|overblik(?:ket)?|summar(?:y|ise|ize|ising|izing)|sum up|recap|overview|rundown|run-down|gist|highlights|catch me up|brief me|briefing)(?![\p{L}])/iu;

// "what happened at", "hvad skete der på": asks for the whole meeting only when the meeting
// follows right away, so "hvad blev besluttet om DK2020 på mødet" stays a question.
const HAPPENED =
  /(?<![\p{L}])(?:hvad\s+(?:skete|foregik)\s+(?:der\s+)?|hvad\s+blev\s+(?:der\s+)?(?:besluttet|drøftet|vedtaget|behandlet)\s+|hvad\s+var\s+på\s+dagsordenen\s+|what\s+(?:happened|went\s+on|was\s+(?:decided|discussed|agreed|covered|on\s+the\s+agenda))\s+|what\s+were\s+the\s+(?:outcomes|decisions|main\s+points)\s+)(?=(?:på|ved|i|under|til|at|in|during|on|from|of)\s)/iu;

const MEETING_WORD =
  /(?<![\p{L}])(?:mødet|møde|møder|mødets|meeting|meetings|dagsorden(?:en)?|referat(?:et)?|nyhedsbrev(?:et)?|agenda|minutes|newsletter)(?![\p{L}])/iu;

// "Hvad står der om X i referatet?" / "Where was the meeting held?": a question about a
// detail, even when it names a meeting.
const DETAIL_QUESTION =
  /^\s*(?:hvem|hvor|hvornår|hvilke[nt]?|hvor mange|hvorfor|who|where|when|which|how many|how much|why|is|are|was|were|did|does|do)\b/iu;

/** `{ ref }` when `question` asks for a meeting summary, else null. */
export function detectSummaryRequest(question: string): SummaryRequest | null {
  const q = question.normalize("NFC").replace(/\s+/g, " ").trim();
  if (q === "" || q.length > 300) return null;
  const happened = HAPPENED.exec(q);
  if (happened) {
    const rest = q.slice(happened.index + happened[0].length);
    return MEETING_WORD.test(rest) || detectRegions(rest).length > 0 ? { ref: cleanRef(rest) } : null;
  }

  const word = SUMMARY_WORD.exec(q);
  if (!word) return null;
  // "Where is the summary of …?" asks about a document, not for a summary.
  if (DETAIL_QUESTION.test(q) && !/^\s*(?:can|could|would|will|kan|kunne|vil)\b/i.test(q)) return null;
  const rest = q.slice(word.index + word[0].length);
  const before = q.slice(0, word.index);
  const names = (s: string) =>
    MEETING_WORD.test(s) || (detectRegions(s).length > 0 && findDates(s, { bareYears: true }).length > 0);
  // The meeting usually follows the verb ("opsummer mødet …"), but English may put it first
  // ("the Sjælland meeting summary").
  if (names(rest)) return { ref: cleanRef(rest) };
  if (names(before)) return { ref: cleanRef(before) };
  if (
    /(?<![\p{L}])(?:seneste|sidste|latest|last)(?![\p{L}])/iu.test(rest) &&
    detectRegions(rest).length > 0
  ) {
    return { ref: cleanRef(rest) };
  }
  return null;
}

const LEADING_GLUE =
  /^(?:[:,-]\s*)?(?:af|fra|for|over|om|på|ved|i|til|under|of|from|on|at|in|during|about|me|mig|lige|kort|venligst|please|gerne)\s+/iu;

/** Drops the glue around the reference: "af mødet i …?" → "mødet i …". */
function cleanRef(text: string): string {
  let ref = text.replace(/[?!.]+\s*$/u, "").trim();
  for (let i = 0; i < 4 && LEADING_GLUE.test(ref); i++) ref = ref.replace(LEADING_GLUE, "");
  return ref.replace(/\s+(?:tak|please|for me|for mig)\s*$/iu, "").trim();
}
