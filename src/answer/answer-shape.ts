import type { QueryAnalysis } from "../retrieval/query.js";
import { findDates } from "../text/dates.js";
import { fold } from "../text/fold.js";
import municipalities from "../text/municipalities.json" with { type: "json" };
import { detectRegions } from "../text/regions.js";
import { indexText, matchEntity, matchTerm } from "./term-match.js";
import type { Unit } from "./units.js";

/** Does a unit have the shape of the answer the question asks for: a person, a date, a count…? */

const NOT_NAME = new Set([
  ...(municipalities as string[]),
  ..."Realdania Danske Regioner Robotics Socialstyrelsen Innovationsfonden Erhvervsministeriet Greater Copenhagen Teams Vision Mission Dato Sted Lov Barnets Velfærdsloven Nærhedsreformen Parisaftalen".split(
    " ",
  ),
  ..."Region Regionen Kommune Kommunes KKR KL Danmarks Danmark Erhvervshus Social Det Den De Der Dette Som Med For Og I Rammeaftalen Rammeaftale Partnerskabet Formand Formanden Borgmester Næstformand Sundhedskoordinationsudvalget Praksisplanudvalget Trafikselskabet Syddansk Børnehus Strategisk Overblik Status Punkter Godkendelse Baggrund Indstilling Sagsfremstilling Nyhedsbrev Dagsorden Referat Mødet Møde Politisk Administrativ".split(
    " ",
  ),
]);
const NAME_RE =
  /\b([A-ZÆØÅ][a-zæøåé]+(?:-[A-ZÆØÅ][a-zæøå]+)?)((?:\s+[A-ZÆØÅ][a-zæøåé]+(?:-[A-ZÆØÅ][a-zæøå]+)?){1,3})\b/gu;

export function personNames(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(NAME_RE)) {
    const words = m[0].split(/\s+/);
    if (words.some((w) => NOT_NAME.has(w))) continue;
    if (words.some((w) => detectRegions(w).length > 0)) continue;
    if (
      words.some((w) =>
        /^(Januar|Februar|Marts|April|Maj|Juni|Juli|August|September|Oktober|November|December)$/i.test(w),
      )
    )
      continue;
    out.push(m[0]);
  }
  return out;
}

const ROLE_NOUN =
  /\b(\p{L}*medlem\p{L}*|\p{L}*formand\p{L}*|borgmest\p{L}*|\p{L}*direktør\p{L}*|politiker\p{L}*|\p{L}*konsulent\p{L}*|\p{L}*minister\p{L}*|repræsentant\p{L}*|udpeg\p{L}*|\p{L}*leder\p{L}*|medarbejder\p{L}*|\p{L}*koordinator\p{L}*|\p{L}*chef\p{L}*|sekretær\p{L}*)\b/iu;
const NUMBER_WORD =
  /\b(to|tre|fire|fem|seks|syv|otte|ni|ti|tolv|tyve|halvdelen|two|three|four|five|six|seven|eight|nine|ten)\b/i;

export function typeFit(unit: Unit, a: QueryAnalysis): number {
  const text = unit.text;
  switch (a.type) {
    case "who": {
      const names = personNames(text);
      // "Hvem kan udpeges…?" may be answered by a kind of person, not a name
      const categorical = /\b(hvem|who)\s+(kan|skal|må|bør|can|may|must|should|are)\b/i.test(a.question);
      if (names.length === 0) return categorical && ROLE_NOUN.test(text) ? 0.4 : 0;
      // "FORUM ved NAVN, Kommune" and "X er formand" are how these documents name people
      if (/\bved\s+[A-ZÆØÅ][\p{L}-]+(?:\s+[A-ZÆØÅ][\p{L}-]+)+,\s*[A-ZÆØÅ]/u.test(text)) return 1;
      if (
        /\b(formand\w*|næstformand\w*|direktør|borgmester|koordinator|ansat|udpeget|repræsentant)\b/i.test(
          text,
        )
      )
        return 1;
      return 0.7;
    }
    case "when": {
      const asked = new Set(a.dates.map((d) => d.iso));
      const dates = findDates(text).filter((d) => !asked.has(d.iso));
      // "på mødet den 8. september" is the report's own context; it answers "when" only
      // when the question is about the meeting itself
      const docDate = unit.passage.chunk.date;
      const aboutMeeting = /\b(møde\w*|meeting\w*|meet|met|holdt|held)\b/i.test(a.question);
      if (!aboutMeeting && docDate && dates.length > 0 && dates.every((d) => d.iso === docDate)) return 0.6;
      if (dates.some((d) => d.precision === "day")) return 1;
      if (dates.some((d) => d.precision === "month")) return 0.7;
      if (dates.length > 0) return 0.4;
      // "ved årsskiftet", "i efteråret 2021", "næste år": a time, if not a date
      return /\b(årsskiftet|efteråret|foråret|sommeren|vinteren|halvår\w*|kvartal\w*|næste år|i år|snarest|senere)\b/i.test(
        text,
      )
        ? 0.7
        : 0;
    }
    case "where": {
      if (/^\s*sted\s*:/im.test(text)) return 1;
      // a street address: "Weidekampsgade 10, 2300 København S"
      if (/\b\p{Lu}\p{Ll}+(gade|vej|allé|alle|plads|torv|stræde)\s+\d+/u.test(text)) return 0.9;
      if (/\b(afholdt|holdt|foregår|finder sted|mødes)\b.*\b(i|på|via|hos)\s+[A-ZÆØÅ]/u.test(text))
        return 0.8;
      if (/\b(virtuelt|teams|zoom|online|tjenestested|adresse)\b/i.test(text)) return 0.7;
      return 0;
    }
    case "howmany": {
      // a count: a free-standing number (or number word) that is not a date, a year, a
      // code like DK2020, list numbering, or a number the question itself contains
      const asked = new Set(a.question.match(/\d+(?:[.,]\d+)?/g) ?? []);
      let plain = text.replace(/^\s*\d{1,2}[.)]\s/gm, " ");
      for (const d of findDates(plain)) plain = plain.replace(d.text, " ");
      // each number with the few words after it: "tre af de 32 særlige pladser"
      const counts = [
        ...plain.matchAll(/(?<![\p{L}\d-])(\d+(?:[.,]\d+)?)(?![\p{L}\d])((?:\s+[\p{L}\d.-]+){0,5})/gu),
      ].filter((m) => !asked.has(m[1] ?? "") && !/^(19|20)\d{2}$/.test(m[1] ?? ""));
      const words = [
        ...plain.matchAll(new RegExp(`${NUMBER_WORD.source}((?:\\s+[\\p{L}\\d.-]+){1,5})`, "giu")),
      ];
      const followed = [...counts, ...words].some((m) => {
        const next = m[m.length - 1] ?? "";
        return next !== "" && a.concepts.some((g) => g.some((t) => matchTerm(t, indexText(next)) > 0));
      });
      if (followed) return 1;
      if (counts.length > 0) return 0.8;
      return words.length > 0 ? 0.6 : 0;
    }
    case "list": {
      if (unit.kind === "list") {
        if (a.listCount !== null) return unit.listItems === a.listCount ? 1 : 0.7;
        return 1;
      }
      // an enumeration inside a sentence: "Lejre, Roskilde, Køge og Lolland"
      const commas = (text.match(/,/g) ?? []).length;
      if (commas >= 2 && /\b(og|and)\b/.test(text)) return 0.8;
      if (/:\s*\S.*\b(og|and)\b/.test(text)) return 0.8;
      if (commas >= 1) return 0.5;
      return 0.3;
    }
    case "role": {
      // the person asked about, with a title or office next to them
      const person = a.entities.some((e) => matchEntity(e, indexText(text)));
      return person && ROLE_NOUN.test(text) ? 1 : person ? 0.4 : 0.1;
    }
    case "define": {
      // "KKR er et samarbejdsforum…", "DEB (Danmarks Erhvervsfremmebestyrelse)"
      const target = fold(a.defines ?? "");
      const t = fold(text.replace(/^[-•*]\s*/, ""));
      if (
        target &&
        t.startsWith(target) &&
        /^[^.]{0,60}\b(er|is|are|står for|betyder)\b/.test(t.slice(target.length))
      )
        return 1;
      if (target && (t.includes(`(${target})`) || t.includes(`${target} (`))) return 0.8;
      return 0.3;
    }
    default:
      return 0.5;
  }
}
