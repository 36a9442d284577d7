import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { detectLanguage } from "../../src/retrieval/language.js";
import { analyzeQuery, mergeFollowUp, toFtsQuery } from "../../src/retrieval/query.js";
import type { GlossaryEntry } from "../../src/types.js";

const glossary: GlossaryEntry[] = [
  { acronym: "DEB", expansion: "Danmarks Erhvervsfremmebestyrelse", docId: "d", source: "s", quote: "q" },
];

describe("language detection", () => {
  test("function words decide; Danish letters in names don't make a question Danish", () => {
    const cases: [string, "da" | "en"][] = [
      ["Hvem er formand for KKR Sjælland?", "da"],
      ["Who chairs KKR Sjælland?", "en"],
      ["Which KKR Syddanmark appointee comes from Tønder?", "en"],
      ["Hvor mange særlige pladser er der?", "da"],
      ["What is KKR?", "en"],
      ["Hvornår?", "da"],
    ];
    for (const [q, lang] of cases) assert.equal(detectLanguage(q), lang, q);
  });
});

describe("query analysis", () => {
  test("question types", () => {
    const cases: [string, string][] = [
      ["Hvem repræsenterer Syddanmark i DEB?", "who"],
      ["Hvornår skal rammeaftalen være godkendt?", "when"],
      ["Hvor blev mødet holdt?", "where"],
      ["Hvor mange kommuner deltager?", "howmany"],
      ["Hvor længe løber runderne?", "howmany"],
      ["How long does each round last?", "howmany"],
      ["Hvilke tre temaer er valgt?", "list"],
      ["Which themes were chosen?", "list"],
      ["Which minister takes part?", "what"],
      ["Hvad er DEB?", "define"],
      ["What is Boris Schønfeldt's job?", "role"],
      ["Hvilken rolle har Christian Harsløf?", "role"],
    ];
    for (const [q, type] of cases) assert.equal(analyzeQuery(q).type, type, q);
  });

  test("regions, dates, kinds and agenda items are read as context, not as words to match", () => {
    const a = analyzeQuery(
      "Hvad handler punkt 2.4 i dagsordenen for KKR Syddanmark den 11. november 2020 om?",
    );
    assert.equal(a.region, "Syddanmark");
    assert.deepEqual(a.dates, [{ iso: "2020-11-11", precision: "day" }]);
    assert.deepEqual(a.kinds, ["dagsorden"]);
    assert.equal(a.item, "2.4");
    assert.deepEqual(a.concepts, []);
  });

  test("a sub-area stays part of a name: Erhvervshus Fyn", () => {
    const a = analyzeQuery("Who represents Syddanmark on Erhvervshus Fyn?");
    assert.equal(a.region, "Syddanmark");
    assert.deepEqual(a.entities, [["Erhvervshus Fyn"]]);
  });

  test("English words get Danish terms; acronyms get their long form both ways", () => {
    const en = analyzeQuery("Who represents Syddanmark in DEB?", { glossary });
    assert.equal(en.language, "en");
    assert.ok(en.terms.includes("repræsentant"));
    assert.ok(en.concepts.some((g) => g.includes("deb") && g.includes("danmarks erhvervsfremmebestyrelse")));
    assert.deepEqual(en.entities, [["DEB", "Danmarks Erhvervsfremmebestyrelse"]]);
    const da = analyzeQuery("Hvem sidder i Danmarks Erhvervsfremmebestyrelse?", { glossary });
    assert.ok(da.expansions.includes("DEB"));
  });

  test("full-text syntax becomes plain terms", () => {
    assert.equal(
      toFtsQuery(['"DEB" OR (formand:*)', "-Sjælland", "NOT", "a AND b"]),
      "deb formand sjælland a b",
    );
  });

  test("an elliptical follow-up is read with the question before it", () => {
    const prev = analyzeQuery("Hvem er formand for KKR Sjælland?");
    const merged = mergeFollowUp(prev, analyzeQuery("og i Syddanmark?"));
    assert.equal(merged.region, "Syddanmark");
    assert.equal(merged.type, "who");
    assert.ok(merged.concepts.some((g) => g.includes("formand")));
    const fresh = analyzeQuery("Hvornår blev KKR etableret som led i kommunalreformen?");
    assert.equal(mergeFollowUp(prev, fresh), fresh);
  });

  test("only elliptical questions are follow-ups; a question with its own subject starts afresh", () => {
    const contact = analyzeQuery("telefonnummer til Boris Schønfeldt");
    for (const q of ["Who chairs KKR Sjaelland?", "Hvornår mødes KKR Syddanmark i november 2020?", "/help"]) {
      const next = analyzeQuery(q);
      assert.equal(mergeFollowUp(contact, next), next, q);
    }
    const chair = analyzeQuery("Who chairs KKR Sjaelland?");
    const vice = mergeFollowUp(chair, analyzeQuery("and the vice-chair?"));
    assert.equal(vice.region, "Sjælland");
    assert.equal(vice.type, "who");
    // the vice-chair replaces the chair; it is not asked for on top of it
    assert.ok(vice.concepts.some((g) => g.includes("næstformand")));
    assert.ok(!vice.concepts.some((g) => g[0] === "chairs"));
    const when = mergeFollowUp(chair, analyzeQuery("hvornår var det?"));
    assert.equal(when.type, "when");
    assert.equal(when.region, "Sjælland");
  });

  test("a question typed in capitals is not read as a row of acronyms", () => {
    const a = analyzeQuery("HVEM REPRÆSENTERER SYDDANMARK I DEB?", { glossary });
    assert.equal(a.type, "who");
    assert.equal(a.region, "Syddanmark");
    assert.deepEqual(a.entities, [["DEB", "Danmarks Erhvervsfremmebestyrelse"]]);
  });

  test("keyword queries carry their question type in a noun; English words are translated in any query", () => {
    assert.equal(analyzeQuery("DK2020 runde 1 ansøgningsfrist").type, "when");
    assert.equal(analyzeQuery("antal særlige psykiatripladser Syddanmark").type, "howmany");
    assert.equal(analyzeQuery("mødested 11. november 2020").type, "where");
    assert.equal(analyzeQuery("FynBus representative").type, "who");
    assert.ok(analyzeQuery("FynBus representative").terms.includes("repræsentant"));
  });
});
