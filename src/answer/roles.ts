import type { QueryAnalysis } from "../retrieval/query.js";
import { fold } from "../text/fold.js";
import { detectRegions } from "../text/regions.js";
import { indexText, matchTerm, stem } from "./term-match.js";

/**
 * Offices and the bodies they belong to: which office a question asks about ("formand for
 * X", "Who chairs X?"), whether a unit names that office, and whether it names the same
 * office of another body. Bodies are compared by their distinctive words.
 */

/** ROLE_WORDS with each word's first letter in either case, for regexes without the "i" flag. */
const caseless = (alternatives: string) =>
  alternatives
    .split("|")
    .map((w) => `[${w[0]!.toLowerCase()}${w[0]!.toUpperCase()}]${w.slice(1)}`)
    .join("|");

const ROLE_WORDS =
  "formand|formanden|næstformand|næstformanden|direktør|direktøren|borgmester|leder|lederen|vice[- ]chair\\w*|deputy[- ]chair\\w*|chair|chairman|chairwoman|mayor|director|head";

/** "formand for KKR Syddanmark" → { role: "formand", of: "kkr syddanmark" } */
const ROLE_RE = caseless(ROLE_WORDS);

export function askedRole(question: string): { role: string; of: string } | null {
  // "formand for X", "chair of X", and the verb "Who chairs X?"
  const noun = new RegExp(`\\b(${ROLE_RE})\\s+(?:for|i|af|of|in|at)\\s+(.+)$`, "u").exec(question);
  const verb = /\b([Cc]hairs|[Cc]haired)\s+(?:the\s+)?(.+)$/u.exec(question);
  const m = noun ?? verb;
  if (!m?.[1] || !m[2]) return null;
  const role = noun
    ? fold(m[1])
        .replace(/en$/, "")
        .replace(/^(vice|deputy)[- ]chair\w*$/, "vice chair")
    : "chair";
  // the body: up to the end of the question, a year or period, or a second clause
  const of = m[2]
    .replace(/[?.!]+\s*$/, "")
    .split(
      /\s+(?:i|in|fra|from|efter|after|siden|since|og|and|,)\s+(?=\d|[a-zæøå])|,|\s+(?:og|and)\s+(?:hvem|hvor|who|where|hvad|what)\b/u,
    )[0]!
    .replace(/^(?:the|den|det|de)\s+/i, "");
  return { role, of: fold(of) };
}

const ROLE_DA: Record<string, string> = {
  chair: "formand",
  chairman: "formand",
  chairwoman: "formand",
  "vice chair": "naestformand",
  "deputy chair": "naestformand",
  mayor: "borgmester",
  director: "direktor",
  head: "leder",
};

/** A role word in Danish, folded, without its definite ending: "Direktøren" → "direktor", "chair" → "formand". */
function canonicalRole(word: string): string {
  const w = fold(word).replace(/^(vice|deputy)[- ]chair\w*$/, "vice chair");
  const da = ROLE_DA[w] ?? w;
  return da.replace(/(en|et)$/, "");
}

/**
 * The role asked about, in any inflection ("formand", "formanden", "formænd"), not
 * "næstformand" for "formand" nor "formandskabet" (the chair and vice-chair together).
 */
export function mentionsRole(text: string, role: string): boolean {
  const da = canonicalRole(role);
  const forms = new Set([
    da,
    `${da}en`,
    `${da}s`,
    `${da}ens`,
    da.replace("formand", "formaend"),
    `${da.replace("formand", "formaend")}ene`,
  ]);
  // "bestyrelsesformand", "udvalgsformanden": a compound ending in the office names it too
  // (but "næstformand" is not "formand")
  return (fold(text).match(/[\p{L}]+/gu) ?? []).some(
    (w) =>
      forms.has(w) ||
      forms.has(w.split("-").pop() ?? w) ||
      ([...forms].some((f) => f.length >= 5 && w.endsWith(f) && w.length - f.length >= 4) &&
        !(da === "formand" && /naestforma/.test(w))),
  );
}

/**
 * "Formand for Socialdirektørforum, Lise Willer" does not answer "Hvem er formand for KKR
 * Syddanmark?", nor "Direktør for Erhvervshus Sydjylland" "Who is the director of Erhvervshus
 * Fyn?": the unit names the same role of a different body. Bodies are compared by their
 * distinctive words, so "bestyrelsen for Erhvervshus Fyn" is Erhvervshus Fyn.
 */
export function otherBody(text: string, asked: { role: string; of: string }, context = ""): boolean {
  const re = new RegExp(`\\b(${ROLE_RE})\\s+(?:for|i|af|of|in|at)\\s+((?:[\\p{L}\\d-]+\\s*){1,6})`, "gu");
  const role = canonicalRole(asked.role);
  const askedKey = bodyKey(asked.of);
  let sameRole = false;
  for (const m of text.matchAll(re)) {
    if (canonicalRole(m[1] ?? "") !== role) continue;
    sameRole = true;
    const key = bodyKey(m[2] ?? "");
    // same body when the distinctive words of one are all in the other
    // "formand for bestyrelsen" names no body of its own: it is the asked body only when the
    // heading or the lines above name that body
    if (key.length === 0) {
      const around = indexText(context);
      // (at least half its words: a heading names "styregruppen for ungeindsatsen" without
      // the question's adjective "politiske")
      const named = askedKey.filter((w) => w.startsWith("region") || matchTerm(w, around) > 0).length;
      if (askedKey.length > 0 && named * 2 >= askedKey.length) return false;
      continue;
    }
    // ("forummet" refers back to "Nordjysk Kystforum": a word that ends an asked word counts)
    const inAsked = (w: string) => askedKey.some((x) => x === w || (w.length >= 4 && x.endsWith(w)));
    if (askedKey.every((w) => key.includes(w)) || key.every(inAsked)) return false;
  }
  return sameRole;
}

/**
 * The distinctive words of a body's name, for comparing bodies: the phrase up to the first
 * conjunction or verb, without articles, prepositions, generic heads and region names (the
 * region is checked on its own), with "kommunekontaktrådet" read as KKR.
 */
function bodyKey(phrase: string): string[] {
  let p = phrase;
  // a region in any spelling or language becomes one token ("KKR North Jutland" = "KKR
  // Nordjylland"); "KKR Syddanmark" keeps its "KKR"; sub-areas (Fyn, Sydjylland) stay words
  for (const m of detectRegions(p).sort((x, y) => y.index - x.index)) {
    if (m.form === "subarea") continue;
    const token = `${m.form === "kkr" ? "kkr " : ""}region${fold(m.region)}`;
    p = `${p.slice(0, m.index)} ${token} ${p.slice(m.index + m.length)}`;
  }
  const words = fold(p).match(/[\p{L}\d]+/gu) ?? [];
  const stop = words.findIndex((w) =>
    /^(og|and|mens|men|but|der|som|who|at|er|is|blev|was|bliver|har|has|fra|from|siden)$/.test(w),
  );
  return (
    (stop >= 0 ? words.slice(0, stop) : words)
      .filter(
        (w) =>
          !/^(det|den|de|the|for|i|af|of|in|at|bestyrelsen|bestyrelse|board|styregruppen|udvalget|region|regionen|capital|north|south|southern|central|denmark|jutland|zealand)$/.test(
            w,
          ),
      )
      .map((w) => (/^kommunekontaktra(d|det|dets)$/.test(w) ? "kkr" : w))
      .slice(0, 3)
      // Snowball stems: "kystforummet" is "kystforum", "udvalgets" is "udvalg"
      .map((w) => (w.startsWith("region") ? w : stem(w)))
  );
}

export function askedBodyWords(a: QueryAnalysis): string[] {
  const r = askedRole(a.question);
  // an English question names the body in English ("the climate secretariat"): its words
  // can't be looked for in Danish text (the other-body comparison still applies)
  if (!r || a.language === "en") return [];
  return bodyKey(r.of).filter((w) => w.length >= 3 && w !== "kkr" && w !== "kl" && !w.startsWith("region"));
}
