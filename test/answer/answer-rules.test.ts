import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { typeFit } from "../../src/answer/answer-shape.js";
import { statedExpansion } from "../../src/answer/definitions.js";
import type { ScoredUnit } from "../../src/answer/evidence.js";
import { mentionsRole } from "../../src/answer/roles.js";
import { tableRow } from "../../src/answer/tables.js";
import type { Passage } from "../../src/answer/types.js";
import { unitsOf } from "../../src/answer/units.js";
import { analyzeQuery } from "../../src/retrieval/query.js";
import { detectRegions } from "../../src/text/regions.js";

// Rules of the answer stage on invented text: each would fail if its rule broke.

const passage = (text: string): Passage =>
  ({ n: 1, score: 1, chunk: { text, section: "", subsections: [], pageBreaks: [] } }) as unknown as Passage;
const scored = (text: string): ScoredUnit[] =>
  unitsOf(passage(text)).map((u, i) => ({ ...u, score: 10 - i }) as unknown as ScoredUnit);

describe("question analysis", () => {
  test("a date the answer lies after or before is a bound, not the date asked", () => {
    assert.deepEqual(analyzeQuery("næste møde i KKR Nordjylland efter 22. marts 2021").dates, []);
    assert.deepEqual(analyzeQuery("Hvornår mødes KKR Nordjylland den 22. marts 2021?").dates, [
      { iso: "2021-03-22", precision: "day" },
    ]);
  });

  test("'hvor ofte' and 'hvor lang' ask for a figure; 'what does X stand for …' for a definition", () => {
    assert.equal(analyzeQuery("Hvor ofte mødes styregruppen?").type, "howmany");
    assert.equal(analyzeQuery("hvor lang er høringsfristen").type, "howmany");
    assert.equal(analyzeQuery("What does SOF stand for in the dementia work?").type, "define");
    assert.equal(analyzeQuery("hvad står DAS for i styringsaftalen").type, "define");
  });

  test("'the new North Jutland forum' names the region; New Zealand is no Danish region", () => {
    assert.deepEqual(
      detectRegions("the new North Jutland coastal forum").map((r) => r.region),
      ["Nordjylland"],
    );
    assert.deepEqual(detectRegions("a study trip to New Zealand"), []);
  });
});

describe("offices and answer shapes", () => {
  test("a compound ending in the office names it; næstformand is not formand", () => {
    assert.equal(mentionsRole("Bestyrelsesformand er borgmester Ib Lund (V).", "formand"), true);
    assert.equal(mentionsRole("Næstformand er borgmester Ib Lund (V).", "formand"), false);
    assert.equal(mentionsRole("Udvalget mødes fire gange om året.", "formand"), false);
  });

  test("an address or a venue is a place for 'where'", () => {
    const a = analyzeQuery("Hvor ligger sekretariatet?");
    const fit = (text: string) => typeFit({ text, kind: "line" } as never, a);
    assert.ok(fit("Stigsborg Brygge 5, 2. sal") >= 0.9);
    assert.ok(fit("Lemvig Rådhus") >= 0.8);
    assert.equal(fit("Sekretariatet betjener fire udvalg"), 0);
  });

  test("a calendar row starting with a date is not a numbered list item", () => {
    const units = unitsOf(
      passage(
        "Dato | Tid | Sted\n12. februar 2024 | kl. 13.00 | Silkeborg Rådhus\n1. Godkendelse af dagsorden\n2. Meddelelser",
      ),
    );
    assert.ok(units.some((u) => u.kind !== "item" && u.text.startsWith("12. februar 2024")));
    assert.ok(units.some((u) => u.kind === "item" && u.text === "1. Godkendelse af dagsorden"));
  });
});

describe("answers stated outright", () => {
  const define = (q: string, text: string) => statedExpansion(analyzeQuery(q), scored(text))?.definition;

  test("an acronym spelled out as 'X står for Y', 'Y (X)' or in an abbreviation list", () => {
    assert.deepEqual(define("Hvad står KDF for?", "KDF står for Kommunaldirektørforum og mødes månedligt."), {
      acronym: "KDF",
      expansion: "Kommunaldirektørforum",
    });
    assert.deepEqual(define("Hvad står TVS for?", "Arbejdet ledes af Trafikforum Vestsjælland (TVS)."), {
      acronym: "TVS",
      expansion: "Trafikforum Vestsjælland",
    });
    assert.deepEqual(
      define(
        "What does DAS stand for?",
        "K29 Direktørkredsen DAS Den Administrative Styregruppe SEL Serviceloven",
      ),
      {
        acronym: "DAS",
        expansion: "Den Administrative Styregruppe",
      },
    );
  });

  test("no acronym, no spelled-out form, or a long form with another initial: nothing", () => {
    assert.equal(define("Hvad står det for?", "KDF står for Kommunaldirektørforum."), undefined);
    assert.equal(define("Hvad står KDF for?", "KDF mødes hver måned."), undefined);
    assert.equal(define("Hvad står KDF for?", "KDF står for Sekretariatet."), undefined);
  });

  test("a table row is quoted under its header; a row of money is never the header", () => {
    const units = scored(
      "Kommune | 2022 | 2023\nSvendborg | 1.250.000 kr. | 1.400.000 kr.\nNyborg | 880.000 kr. | 910.000 kr.",
    );
    const nyborg = units.find((u) => u.text.startsWith("Nyborg"))!;
    assert.deepEqual(
      tableRow(nyborg, units)?.map((u) => u.text),
      ["Kommune | 2022 | 2023", "Nyborg | 880.000 kr. | 910.000 kr."],
    );
  });
});
