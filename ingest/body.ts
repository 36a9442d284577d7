/**
 * Who a document or a meeting belongs to: a KKR ("KKR Sjælland"), or another body named
 * by its title or an intro line ("Kommunekontaktudvalget", "Sundhedskoordinationsudvalget").
 */
import { bodyIn, isKkrBody, kkrBody } from "../src/text/bodies.js";
import { detectRegions } from "../src/text/regions.js";
import type { Region } from "../src/types.js";

export { bodyIn, isKkrBody, kkrBody };

const KKR_WORD = /\bKKR\b|kommunekontaktråd/i;

/** The KKR a sentence names ("KKR Nordjylland", "Kommunekontaktråd (KKR) Nordjylland"), or null. */
export function kkrIn(sentence: string, fallback: Region | null): string | null {
  if (!KKR_WORD.test(sentence)) return null;
  const regions = detectRegions(sentence).filter((m) => m.form !== "subarea");
  const region = regions.find((m) => m.form === "kkr")?.region ?? regions[0]?.region ?? fallback;
  return kkrBody(region ?? null);
}

/**
 * The document's body: a non-KKR body its title names, else its KKR when it mentions one,
 * else null.
 */
export function documentBody(title: string | null, text: string, region: Region | null): string | null {
  const named = title ? bodyIn(title) : null;
  if (named) return named;
  return KKR_WORD.test(text) ? kkrBody(region) : null;
}
