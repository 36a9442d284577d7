import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { analyzeQuery } from "../../src/retrieval/query.js";

// The vocabulary files are data that anyone may extend; these checks keep them loadable and
// keep each entry useful to src/retrieval/query.ts (which reads keys as words or phrases).
const FILES = ["src/retrieval/en-da-terms.json", "src/retrieval/da-synonyms.json"].map((f) => ({
  name: f,
  raw: readFileSync(new URL(`../../${f}`, import.meta.url), "utf8"),
}));

/** Every key of the top-level object, in file order, duplicates included (JSON.parse drops them). */
function rawKeys(raw: string): string[] {
  // top-level keys are the only ones indented by exactly two spaces in these files
  return [...raw.matchAll(/^ {2}"((?:[^"\\]|\\.)*)"\s*:/gm)].map((m) => JSON.parse(`"${m[1]}"`) as string);
}

// Danish words that are in nearly every passage: as a translation they match everything
const TOO_BROAD = new Set(
  "og i at det en den til er som på de med af for ikke der var sig men et har om vi nu over da fra du ud sin dem os op man eller skal vil blev når være efter også under have ved få".split(
    " ",
  ),
);

describe("vocabulary data files", () => {
  for (const { name, raw } of FILES) {
    test(`${name}: valid JSON of lowercase keys and non-empty lists of terms`, () => {
      const data = JSON.parse(raw) as Record<string, unknown>;
      const keys = Object.keys(data).filter((k) => !k.startsWith("_"));
      assert.ok(keys.length > 0);
      for (const k of keys) {
        assert.equal(k, k.toLowerCase(), `key ${k} is lowercase`);
        assert.equal(k, k.trim().replace(/\s+/g, " "), `key "${k}" has single inner spaces only`);
        // keys go into a \b…\b regular expression: letters, digits, spaces, hyphens, apostrophes only
        assert.match(k, /^[\p{Ll}\p{N}][\p{Ll}\p{N} '’-]*$/u, `key "${k}" is a plain word or phrase`);
        const v = data[k];
        assert.ok(Array.isArray(v) && v.length > 0, `${k} has a non-empty list`);
        for (const t of v as unknown[]) {
          assert.equal(typeof t, "string", `${k}: terms are strings`);
          assert.ok((t as string).trim().length > 0, `${k}: no empty term`);
          assert.ok(!TOO_BROAD.has((t as string).toLowerCase()), `${k}: "${t}" is too common to search by`);
        }
        assert.equal(new Set(v as string[]).size, (v as string[]).length, `${k}: no repeated term`);
      }
    });

    test(`${name}: no key appears twice in the file`, () => {
      const keys = rawKeys(raw);
      assert.deepEqual(
        keys.filter((k, i) => keys.indexOf(k) !== i),
        [],
      );
      // and the scan saw every key the parser did
      assert.deepEqual(new Set(keys), new Set(Object.keys(JSON.parse(raw))));
    });
  }

  test("the duplicate scan does find a repeated key", () => {
    assert.deepEqual(rawKeys('{\n  "chair": ["formand"],\n  "chair": ["stol"]\n}'), ["chair", "chair"]);
  });
});

/** The concept group of a question that contains `term`. */
function conceptWith(question: string, term: string): string[] | undefined {
  return analyzeQuery(question).concepts.find((g) => g.includes(term));
}

describe("English questions reach their Danish words", () => {
  // [question, Danish terms one concept group must contain], one or more per domain
  const cases: [string, string[]][] = [
    // municipal government and politics
    ["Who is the vice-chair of the municipal council?", ["næstformand", "kommunalbestyrelse"]],
    ["Which aldermen were appointed?", ["rådmænd", "udpeget"]],
    ["When was the constituent meeting held?", ["konstituerende møde"]],
    ["Who is the municipal director in Herning?", ["kommunaldirektør"]],
    ["Who are the substitutes on the committee?", ["suppleanter", "udvalg"]],
    // meetings
    ["Was the meeting postponed or cancelled?", ["udsat", "aflyst"]],
    ["Is the next meeting virtual or in person?", ["virtuelt", "fysisk"]],
    ["Which appendices come with the minutes?", ["bilag"]],
    // regional cooperation
    ["What does the framework agreement say about coastal protection?", ["rammeaftale", "kystbeskyttelse"]],
    ["Which transport company runs the buses?", ["trafikselskab", "busser"]],
    // labour market and employment
    ["How did unemployment develop at the jobcentres?", ["ledighed", "jobcentre"]],
    ["How many apprenticeships and refugees are there?", ["lærepladser", "flygtninge"]],
    // health
    ["What is agreed about rehabilitation and general practitioners?", ["genoptræning", "almen praksis"]],
    ["Who sits on the health coordination committee?", ["sundhedskoordinationsudvalg"]],
    // social and specialised social area
    ["How many places for people with disabilities are there?", ["pladser", "handicap"]],
    [
      "What about special needs education for children and young people?",
      ["specialundervisning", "børn og unge"],
    ],
    // planning and finance
    ["Was the contract extended and what are the savings?", ["forlænget", "besparelser"]],
    ["How many millions were allocated in the budget?", ["mio", "fordelt", "budget"]],
    // documents and communication
    ["What does the annual report say about climate?", ["beretning", "klima"]],
    [
      "Which press releases were published on the website?",
      ["pressemeddelelser", "offentliggjort", "hjemmeside"],
    ],
  ];
  for (const [question, expected] of cases) {
    test(question, () => {
      for (const term of expected) assert.ok(conceptWith(question, term), `"${term}" in ${question}`);
    });
  }

  test("Danish synonyms and English variants reach the forms documents use", () => {
    assert.ok(conceptWith("Hvor mange arbejdsløse er der i kommunen?", "ledige"));
    assert.ok(conceptWith("Hvem er rådmand for sundhed?", "rådmænd"));
    assert.ok(conceptWith("Who are the councillors?", "byrådsmedlemmer"));
    assert.ok(conceptWith("Who chairs the municipal council?", "byråd"));
  });

  test("stop words and question words are not translated: they would add Danish words found everywhere", () => {
    const a = analyzeQuery("Who is the chair of the board, and where and when does it meet?");
    assert.deepEqual(a.concepts.map((g) => g[0]).sort(), ["board", "chair", "meet"]);
    assert.deepEqual(
      a.expansions.filter(
        (e) => !["formand", "bestyrelse", "bestyrelsen", "møde", "mødes", "holdt møde"].includes(e),
      ),
      [],
    );
  });

  test("an English key that is also a Danish word would change Danish questions: there is none for 'fire'", () => {
    // "fire" is four in Danish; an English "fire" → "brand" entry would send this question astray
    const a = analyzeQuery("Hvilke fire kommuner har arbejdet med klimaplaner?");
    assert.deepEqual(
      a.concepts.find((g) => g[0] === "fire"),
      ["fire"],
    );
  });
});
