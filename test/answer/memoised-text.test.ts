import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { indexText, matchTerm } from "../../src/answer/term-match.js";
import {
  compileDictionary,
  dictionaryFromCompiled,
  parseDictionary,
  readDictionarySource,
} from "../../src/text/danish-dictionary.js";
import { findDates } from "../../src/text/dates.js";
import { fold } from "../../src/text/fold.js";

// The answer stage memoises pure text functions (issue 12); these check that a cached result
// is never served for another input or option, and that the compiled dictionary holds
// exactly the words of index.dic.

describe("compiled Danish dictionary", () => {
  const { dic, version } = readDictionarySource();
  const lists = parseDictionary(dic);
  const compiled = dictionaryFromCompiled(compileDictionary(dic, version));

  test("holds every word of index.dic, in the right list", () => {
    assert.ok(compiled);
    assert.equal(compiled.common.size, lists.common.size);
    assert.equal(compiled.proper.size, lists.proper.size);
    for (const w of lists.common) assert.ok(compiled.common.has(w), w);
    for (const w of lists.proper) assert.ok(compiled.proper.has(w), w);
  });

  test("answers like the word sets for words that are not entries", () => {
    assert.ok(compiled);
    const { common, proper } = lists;
    const probes = ["", "zzzzzz", "xqvbe", "formanden", "kommunerne", "jens", "lise", "aarhus", "a", "aa"];
    for (const w of [...lists.common].filter((_, i) => i % 50 === 0))
      probes.push(`${w}e`, w.slice(1), `${w}xx`);
    for (const w of probes) {
      assert.equal(compiled.common.has(w), common.has(w), `common ${w}`);
      assert.equal(compiled.proper.has(w), proper.has(w), `proper ${w}`);
    }
    assert.ok(compiled.common.has("formand"));
    assert.ok(compiled.proper.has("jens"));
    assert.ok(!compiled.common.has("zzzzzz"));
  });
});

describe("memoised text functions", () => {
  test("fold gives the same as folding afresh, short and long", () => {
    const afresh = (s: string) =>
      s
        .normalize("NFC")
        .toLowerCase()
        .replace(/[æøåéüöä]/g, (c) => ({ æ: "ae", ø: "o", å: "a", é: "e", ü: "u", ö: "o", ä: "a" })[c] ?? c);
    const words = ["Sjælland", "KØGE", "Ærø", "Café", "e\u0301", "Sjælland", `${"Ålborg ".repeat(20)}`];
    for (const w of [...words, ...words]) assert.equal(fold(w), afresh(w));
  });

  test("findDates keeps options apart for the same text", () => {
    const text = "Mødet den 8. september. Rammeaftale 2021-2022.";
    assert.deepEqual(
      findDates(text, { defaultYear: 2020 }).map((d) => d.iso),
      ["2020-09-08"],
    );
    assert.deepEqual(
      findDates(text, { defaultYear: 2023 }).map((d) => d.iso),
      ["2023-09-08"],
    );
    assert.deepEqual(
      findDates(text, { bareYears: true, defaultYear: 2023 }).map((d) => d.iso),
      ["2023-09-08", "2021", "2022"],
    );
    assert.deepEqual(findDates("ingen dato her"), []);
    // a caller changing what it got back does not change the next answer
    const first = findDates(text, { defaultYear: 2020 });
    first.pop();
    assert.equal(findDates(text, { defaultYear: 2020 }).length, 1);
  });

  test("a term's match is kept per index, not across indexes", () => {
    const a = indexText("Formanden for KKR Sjælland er borgmester Jens Hansen.");
    const b = indexText("Næstformanden åbnede mødet.");
    assert.equal(matchTerm("formand", a), 1);
    assert.equal(matchTerm("formand", b), 0);
    assert.equal(matchTerm("formand", a), 1);
    assert.equal(matchTerm("næstformand", b), 1);
    // the same text indexed again is the same index
    assert.equal(indexText("Næstformanden åbnede mødet."), b);
  });
});
