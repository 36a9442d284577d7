/**
 * Names of the bodies meetings belong to: a KKR ("KKR Sjælland"), or another body named by
 * the form of its name — a capitalised word ending in -udvalg, -råd, -bestyrelse, -forum,
 * -netværk, -styregruppe ("Kommunekontaktudvalget", "Sundhedskoordinationsudvalget",
 * "Bestyrelse") — never by a list of bodies. Shared by ingest (who a document's meetings
 * belong to) and meeting references ("mødet i Sundhedskoordinationsudvalget i marts").
 */
import type { Region } from "../types.js";
import { fold } from "./fold.js";

const BODY_SUFFIX =
  /(?:udvalg|udvalget|råd|rådet|bestyrelse|bestyrelsen|forum|forummet|netværk|netværket|styregruppe|styregruppen|board|committee|council)$/i;
/** KKR itself, and the region's council, are not "another body". */
const NOT_OTHER = /^(?:kommunekontaktråd|regionsråd|byråd|kommunalbestyrelse)/i;

export const isKkrBody = (body: string) => /^KKR\b/.test(body);

export const kkrBody = (region: Region | null) => (region && region !== "all" ? `KKR ${region}` : "KKR");

/** Capitalised body names in `text` (or any case with `anyCase`), in order. */
export function bodiesIn(text: string, anyCase = false): string[] {
  const word = anyCase ? /(?<![\p{L}\p{N}])\p{L}[\p{L}-]{2,}/gu : /(?<![\p{L}\p{N}])\p{Lu}[\p{L}-]{2,}/gu;
  return [...text.matchAll(word)].map((m) => m[0]).filter((w) => BODY_SUFFIX.test(w) && !NOT_OTHER.test(w));
}

/** The first non-KKR body named in `line`, or null. */
export function bodyIn(line: string): string | null {
  return bodiesIn(line)[0] ?? null;
}

/** Whether two spellings name the same body ("sundhedskoordinationsudvalg" ~ "Sundhedskoordinationsudvalget"). */
export function sameBody(a: string, b: string): boolean {
  const stem = (s: string) =>
    fold(s)
      .replace(/[^a-z0-9]/g, "")
      .replace(/(?:et|en|n|t|s)$/, "");
  const x = stem(a);
  const y = stem(b);
  return x.length >= 4 && y.length >= 4 && (x.startsWith(y) || y.startsWith(x));
}
