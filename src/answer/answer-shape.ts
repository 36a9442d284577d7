import type { QueryAnalysis } from "../retrieval/query.js";
import { isCommonDanishWord, isProperNoun } from "../text/danish-words.js";
import { findDates } from "../text/dates.js";
import { fold } from "../text/fold.js";
import municipalities from "../text/municipalities.json" with { type: "json" };
import { detectRegions } from "../text/regions.js";
import { indexText, matchEntity, matchTerm } from "./term-match.js";
import type { Unit } from "./units.js";

/** Does a unit have the shape of the answer the question asks for: a person, a date, a count…? */

const PLACES = new Set((municipalities as string[]).map(fold));
const MONTH_OR_DAY =
  /^(januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|january|february|march|may|june|july|october|mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/i;
/** Particles inside names: "Anne-Marie von Holstein", "Lars de Neergaard". */
const PARTICLE = /^(von|van|de|der|den|af|la|le|du|di|da|zu)$/;
/** Titles written before a name ("Borgmester Jens Hansen", "rådmand …", "chefkonsulent …"). */
export const TITLE =
  /^(borgmester|viceborgmester|rådmand|formand|næstformand|direktør|kommunaldirektør|regionsdirektør|chefkonsulent|specialkonsulent|konsulent|seniorkonsulent|minister|ministeren|sekretariatschef|kontorchef|afdelingschef|centerchef|chef|leder|sekretariatsleder|koordinator|regionsrådsformand|byrådsmedlem|kommunalbestyrelsesmedlem|medlem|mayor|councillor|director|chair|chairman|minister|professor|dr)$/i;
const NAME_TOKEN = /^\p{Lu}[\p{Ll}\p{Lu}'’]*(?:-\p{Lu}[\p{Ll}]+)*$/u;

export interface PersonName {
  name: string;
  /** The text around the name says it is a person: a title, a party letter, "X Kommune". */
  marked: boolean;
}

/**
 * Person names as KKR documents write them, from general evidence rather than a list of
 * words seen in a corpus: runs of two or more capitalised words (particles allowed) that are
 * not all ordinary Danish words (hunspell dictionary), contain no compound of ordinary words
 * (names of bodies: "Sundhedskoordinationsudvalget"), no municipality, region or month. A
 * title before the name, a party letter after it ("(A)"), or ", Xby Kommune" marks a person.
 */
export function personMentions(text: string): readonly PersonName[] {
  // the same unit text is read again for each question about it: memoised, bounded
  let found = mentionsMemo.get(text);
  if (found === undefined) {
    found = findPersonMentions(text);
    mentionsMemoChars += text.length;
    if (mentionsMemoChars > 1_000_000) {
      mentionsMemo.clear();
      mentionsMemoChars = text.length;
    }
    mentionsMemo.set(text, found);
  }
  return found;
}
const mentionsMemo = new Map<string, readonly PersonName[]>();
let mentionsMemoChars = 0;

function findPersonMentions(text: string): PersonName[] {
  const out: PersonName[] = [];
  const tokens = [...text.matchAll(/[\p{L}][\p{L}'’-]*|\([A-ZÆØÅ]{1,2}\)|[^\s\p{L}]/gu)];
  let i = 0;
  while (i < tokens.length) {
    const run: number[] = [];
    let j = i;
    while (j < tokens.length) {
      const t = tokens[j]![0];
      if (isNameWord(t)) run.push(j);
      else if (PARTICLE.test(t) && run.length > 0 && j + 1 < tokens.length && isNameWord(tokens[j + 1]![0]))
        run.push(j);
      else break;
      j++;
    }
    if (run.length === 0) {
      i++;
      continue;
    }
    i = j;
    // leading titles and ordinary words ("Borgmester", "Mødet") are not part of the name
    let a = 0;
    while (
      a < run.length &&
      isOrdinary(tokens[run[a]!]![0]) &&
      !isProperNoun(tokens[run[a]!]![0]) &&
      run.length - a > 2
    )
      a++;
    if (TITLE.test(tokens[run[a]!]![0]) && run.length - a > 2) a++;
    const words = run.slice(a).map((k) => tokens[k]![0]);
    if (words.length < 2 || words.length > 5) continue;
    // all ordinary words ("Danske Regioner") is no name; a first name of the dictionary is
    // a name even when it also looks like an inflected word ("Mogens")
    if (words.every((w) => (isOrdinary(w) && !isProperNoun(w)) || PARTICLE.test(w))) continue;
    if (words.some((w) => INSTITUTION.test(w) || MONTH_OR_DAY.test(w))) continue;
    if (words.some((w) => detectRegions(w).some((r) => r.form !== "subarea"))) continue;
    if (ORGANISATION_HEAD.test(words[words.length - 1] ?? "")) continue;
    const first = tokens[run[a]!]!;
    const lastTok = tokens[run[run.length - 1]!]!;
    const start = first.index ?? 0;
    const end = (lastTok.index ?? 0) + lastTok[0].length;
    const before = text.slice(Math.max(0, start - 40), start);
    const after = text.slice(end, end + 40);
    // a title before or a party letter after: a person, even with a town's name as surname
    // ("borgmester Jens Peter Kolding (V)")
    const titled =
      a > 0 || isTitleWord(before.trim().split(/\s+/).pop() ?? "") || /^\s*\([A-ZÆØÅ]{1,2}\)/.test(after);
    if (!titled && words.some((w) => PLACES.has(fold(w)))) continue;
    if (words.length === 2 && words.every((w) => PLACES.has(fold(w)))) continue;
    const marked =
      titled ||
      /^\s*(?:\([A-ZÆØÅ]{1,2}\))?\s*,?\s*(?:fra\s+)?\p{Lu}[\p{L}-]+\s+(?:Kommune|Regionskommune)\b/u.test(
        after,
      ) ||
      /\bved\s*$/i.test(before) ||
      ROLE_BEFORE.test(before) ||
      ROLE_AFTER.test(after) ||
      /^\s*,\s*(?:borgmester|rådmand|formand|næstformand|direktør|\p{L}*chef|\p{L}*konsulent|\p{L}*leder)\b/iu.test(
        after,
      );
    out.push({ name: words.join(" "), marked });
  }
  return out;
}

/** Stems of offices and jobs (general vocabulary). */
const ROLE_STEMS =
  "formand|formænd|næstformand|direktør|borgmester|rådmand|chef|konsulent|leder|minister|koordinator|sekretær|medlem|repræsentant|chair|director|mayor|member";

const ROLE_BEFORE = new RegExp(`\\b(${ROLE_STEMS})\\p{L}*\\b[^.]{0,50}[,:]\\s*$`, "iu");
const ROLE_AFTER = new RegExp(
  `^\\s*,?\\s*(?:er|bliver|blev|is|was|becomes)\\s+(?:\\p{L}+\\s+){0,2}(${ROLE_STEMS})`,
  "iu",
);
const ROLE_WORD = new RegExp(`(${ROLE_STEMS})(en)?$`, "iu");

/**
 * A word ending in an institution's head noun names a body, a law or a programme, not a
 * person ("Sundhedskoordinationsudvalget", "Erhvervshus", "Nærhedsreformen"). Surnames are
 * often compounds of ordinary words too ("Skjoldager", "Tværmose"), so only these heads count.
 */
const INSTITUTION =
  /\p{L}{2,}(udvalg|udvalget|råd|rådet|forum|forummet|styrelse|styrelsen|selskab|selskabet|hus|huset|fond|fonden|reform|reformen|lov|loven|aftale|aftalen|ministerium|ministeriet|sekretariat|sekretariatet|netværk|netværket|kontor|kontoret|område|området|samarbejde|samarbejdet|partnerskab|partnerskabet|alliance|alliancen|program|programmet|projekt|projektet|center|centret|gruppe|gruppen|konference|konferencen|forening|foreningen|region|regionen|kommune|kommunen|organisation|organisationen|institut|instituttet|universitet|universitetet|hospital|hospitalet|skole|skolen|plan|planen|strategi|strategien|pulje|puljen|trafik|selskaber)$/iu;

/** A run ending in one of these names a body or a place, not a person ("Xby Kommune"). */
const ORGANISATION_HEAD =
  /^(kommune|kommunes|regionskommune|region|regionen|udvalg\p{L}*|råd\p{L}*|forum|fond\p{L}*|selskab\p{L}*|hus|huset|styrelse\p{L}*|ministerie\p{L}*|sekretariat\p{L}*|netværk\p{L}*|kontor\p{L}*|universitet\p{L}*|hospital\p{L}*|council|committee|board|office|university|agency|ministry)$/iu;

/** "Borgmester", "projektchef", "KKR-næstformand": an office written before a name. */
function isTitleWord(w: string): boolean {
  const tail = w.split("-").pop() ?? w;
  return TITLE.test(tail) || ROLE_WORD.test(tail);
}

function isNameWord(t: string): boolean {
  return NAME_TOKEN.test(t) && !/^[A-ZÆØÅ]{2,}$/.test(t);
}

function isOrdinary(w: string): boolean {
  return TITLE.test(w) || isCommonDanishWord(w) || ENGLISH_COMMON.has(w.toLowerCase());
}

/** English function words and meeting words that start sentences in English text. */
const ENGLISH_COMMON = new Set(
  "the a an and of in on at for to with by from this that these those is are was were be new board council committee meeting region municipality mayor chair vice deputy director greater".split(
    " ",
  ),
);

export function personNames(text: string): string[] {
  return personMentions(text).map((p) => p.name);
}

const ROLE_NOUN =
  /\b(\p{L}*medlem\p{L}*|\p{L}*formand\p{L}*|borgmest\p{L}*|\p{L}*direktør\p{L}*|politiker\p{L}*|\p{L}*konsulent\p{L}*|\p{L}*minister\p{L}*|repræsentant\p{L}*|udpeg\p{L}*|\p{L}*leder\p{L}*|medarbejder\p{L}*|\p{L}*koordinator\p{L}*|\p{L}*chef\p{L}*|sekretær\p{L}*)\b/iu;
const NUMBER_WORD =
  /\b(to|tre|fire|fem|seks|syv|otte|ni|ti|tolv|tyve|halvdelen|two|three|four|five|six|seven|eight|nine|ten)\b/i;

const NUMBER_WORD_PHRASE = new RegExp(`${NUMBER_WORD.source}((?:\\s+[\\p{L}\\d.-]+){1,5})`, "giu");

export function typeFit(unit: Unit, a: QueryAnalysis): number {
  const text = unit.text;
  switch (a.type) {
    case "who": {
      // the people the question itself names are not its answer ("Hvem afløste X?")
      const named = a.entities.map((e) => fold(e[0] ?? ""));
      const people = personMentions(text).filter(
        (p) => !named.some((n) => n !== "" && fold(p.name).includes(n)),
      );
      // "Hvem kan udpeges…?" may be answered by a kind of person, not a name
      const categorical = /\b(hvem|who)\s+(kan|skal|må|bør|can|may|must|should|are)\b/i.test(a.question);
      if (people.length === 0) return categorical && ROLE_NOUN.test(text) ? 0.4 : 0;
      if (people.some((p) => p.marked)) return 1;
      return ROLE_NOUN.test(text) ? 0.9 : 0.6;
    }
    case "when": {
      const asked = new Set(a.dates.map((d) => d.iso));
      // "Tirsdag den 27. januar" on a calendar page: the year is the page's
      const docYear = Number(unit.passage.chunk.date?.slice(0, 4)) || undefined;
      // the asked date itself, or a year the asked month lies in, is not an answer to "when"
      const dates = findDates(text, docYear ? { defaultYear: docYear } : {}).filter(
        (d) => !asked.has(d.iso) && !a.dates.some((x) => x.iso.startsWith(d.iso)),
      );
      // "på mødet den 8. september" is the report's own context; it answers "when" only
      // when the question is about the meeting itself
      const docDate = unit.passage.chunk.date;
      const aboutMeeting = /(?<!\p{L})(møde\p{L}*|meeting\p{L}*|meet|met|holdt|held)(?!\p{L})/iu.test(
        a.question,
      );
      if (!aboutMeeting && docDate && dates.length > 0 && dates.every((d) => d.iso === docDate)) return 0.6;
      if (dates.some((d) => d.precision === "day")) return 1;
      if (dates.some((d) => d.precision === "month")) return 0.7;
      if (dates.length > 0) return 0.5;
      // "ved årsskiftet", "i efteråret 2021", "frem til udgangen af 2010": a time, if not a date
      if (
        /(?<!\p{L})(årsskiftet|efteråret|foråret|sommeren|vinteren|halvår\p{L}*|kvartal\p{L}*|næste år|i år|snarest|senere|udgangen af|starten af|begyndelsen af|midten af)(?!\p{L})/iu.test(
          text,
        )
      )
        return 0.7;
      if (findDates(text, { bareYears: true }).some((d) => !a.dates.some((x) => x.iso.startsWith(d.iso))))
        return 0.4;
      return /\bkl\.?\s*\d{1,2}[.:]\d{2}/.test(text) ? 0.4 : 0;
    }
    case "where": {
      if (/^\s*sted\s*:/im.test(text)) return 1;
      // a street address: "Weidekampsgade 10, 2300 København S"
      if (/\b\p{Lu}\p{Ll}+(gade|vej|allé|alle|plads|torv|stræde)\s+\d+/u.test(text)) return 0.9;
      // "Stigsborg Brygge 5, 2. sal", "Skejbyparken 8, 8200 Aarhus N": a number after a name,
      // then a comma or a postcode
      if (/\p{Lu}[\p{L}-]+\s+\d{1,3}[A-Za-z]?\s*(?:,|\s\d{4}\s+\p{Lu})/u.test(text)) return 0.9;
      // a venue: town hall, hotel, conference or culture centre, a hall ("Byrådssalen")
      if (/(rådhus|hotel|center|centret|huset|salen|regionshus|kongrescenter|musikhus)(et|s)?\b/iu.test(text))
        return 0.8;
      if (/\b(afholdt|holdt|foregår|finder sted|mødes)\b.*\b(i|på|via|hos)\s+[A-ZÆØÅ]/u.test(text))
        return 0.8;
      // virtual meetings are a place too (Teams, Zoom and Skype are the usual platforms)
      if (/\b(virtuelt|teams|zoom|skype|online|digitalt|videomøde|tjenestested|adresse)\b/i.test(text))
        return 0.7;
      // "på Hotel X", "i Festsalen", "hos Y": a capitalised place after a preposition
      if (/(?<!\p{L})(på|i|hos|at|in)\s+\p{Lu}\p{Ll}+/u.test(text)) return 0.4;
      return 0;
    }
    case "howmany": {
      // a count: a free-standing number (or number word) that is not a date, a year, a
      // code like DK2020, list numbering, or a number the question itself contains
      const asked = new Set(a.question.match(/\d+(?:[.,]\d+)?/g) ?? []);
      let plain = text.replace(/^\s*\d{1,2}[.)]\s/gm, " ");
      for (const d of findDates(plain)) plain = plain.replace(d.text, " ");
      // phone numbers and clock times ("kl. 10.00", "9.30-12.30") are not counts
      plain = plain.replace(/(?:tlf\.?|telefon|phone|mobil)\s*:?\s*(?:\+45\s*)?[\d ]{8,11}/gi, " ");
      plain = plain.replace(/\b\d{2}\s?\d{2}\s?\d{2}\s?\d{2}\b/g, " ");
      // clock times ("kl. 10.00", "9.30-12.30") are not counts
      plain = plain.replace(/\bkl\.?\s*\d{1,2}(?:[.:]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?/gi, " ");
      plain = plain.replace(/\b\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}\b/g, " ");
      // each number with the few words after it: "tre af de 32 særlige pladser"
      const counts = [
        ...plain.matchAll(/(?<![\p{L}\d-])(\d+(?:[.,]\d+)?)(?![\p{L}\d])((?:\s+[\p{L}\d.-]+){0,5})/gu),
      ].filter((m) => !asked.has(m[1] ?? "") && !/^(19|20)\d{2}$/.test(m[1] ?? ""));
      const words = [...plain.matchAll(NUMBER_WORD_PHRASE)];
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
