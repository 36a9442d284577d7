import type { Language } from "../types.js";

// Frequent function words that are unambiguous between the two languages.
const DA = new Set(
  "og er det den de en et til på hvem hvad hvor hvornår hvilke hvilken hvilket hvordan hvorfor hvor mange om med af fra ikke som har blev skal kan var mødet møde jeg vi der kommuner kommune formand har nævn opsummer seneste".split(
    " ",
  ),
);
const EN = new Set(
  "the and is are was were who what when where which why how many much of to in on for with from does did do has have meeting about summarise summarize latest last tell me list give show find".split(
    " ",
  ),
);

/**
 * Danish or English, for answering in the question's language. Æ/ø/å decide for Danish
 * unless the sentence is otherwise clearly English ("Who chairs KKR Sjælland?").
 */
export function detectLanguage(text: string): Language {
  const words = text.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  let da = 0;
  let en = 0;
  for (const w of words) {
    if (DA.has(w)) da++;
    if (EN.has(w)) en++;
  }
  const danishLetters = /[æøå]/i.test(
    text.replace(/\b(?:KKR\s+)?(?:Sjælland|København|Århus|Aarhus|Køge|Ærø|Fanø)\b/gi, ""),
  );
  if (danishLetters) da += 2;
  if (en > da) return "en";
  return "da";
}
