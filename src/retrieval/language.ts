import type { Language } from "../types.js";

// Frequent function words that are unambiguous between the two languages.
const DA = new Set(
  (
    "og er det den de en et til på hvem hvad hvor hvornår hvilke hvilken hvilket hvordan hvorfor om med af fra ikke som " +
    "har blev bliver været skal kan var mødet møde jeg vi der nævn opsummer seneste ved sidder kommer hos efter også eller " +
    "men når hans hendes deres dette denne disse mange meget hvis ifølge mellem under over"
  ).split(" "),
);
const EN = new Set(
  (
    "the and is are was were who what when where which why how many much of to in on for with from does did do has have " +
    "meeting about summarise summarize latest last tell me list give show find comes come chair chairs represents " +
    "represent there that this it be been by an a at or will would should could can its their they he she his her " +
    "according between during after before"
  ).split(" "),
);

/**
 * Danish or English, for answering in the question's language. Function words decide;
 * æ/ø/å count for Danish only in ordinary words, not in names ("Who comes from Tønder?").
 */
export function detectLanguage(text: string): Language {
  let da = 0;
  let en = 0;
  for (const raw of text.match(/[\p{L}]+/gu) ?? []) {
    const w = raw.toLowerCase();
    if (DA.has(w)) da++;
    if (EN.has(w)) en++;
    if (/[æøå]/.test(raw) && raw === w) da += 1;
  }
  return en > da ? "en" : "da";
}
