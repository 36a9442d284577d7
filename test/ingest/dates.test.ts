import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findDates, formatDanishDate, formatEnglishDate, parseDate } from "../../src/text/dates.js";

const isoOf = (text: string, opts?: { defaultYear?: number; bareYears?: boolean }) =>
  findDates(text, opts).map((d) => d.iso);

describe("findDates", () => {
  const cases: [string, string, "day" | "month" | "year"][] = [
    ["Mødet den 14. september 2020 kl. 10", "2020-09-14", "day"],
    ["Dato: 11-11-2020 10:00", "2020-11-11", "day"],
    ["11/11/2020", "2020-11-11", "day"],
    ["d. 3/2-2021", "2021-02-03", "day"],
    ["1.12.2019", "2019-12-01", "day"],
    ["ISO 2020-11-11 er fint", "2020-11-11", "day"],
    ["MARTS 2022", "2022-03", "month"],
    ["udgivet i marts 2022", "2022-03", "month"],
    ["8. sep. 2020", "2020-09-08", "day"],
    ["8. okt 2021", "2021-10-08", "day"],
    ["11 November 2020", "2020-11-11", "day"],
    ["the 2nd of May 2019", "2019-05-02", "day"],
    ["November 11, 2020", "2020-11-11", "day"],
    ["November 2020", "2020-11", "month"],
    ["i 2016 var der", "2016", "year"],
    ["siden 2007", "2007", "year"],
    // as web pages and transcripts print them
    ["21. 01. 2022 - kl. 11:28", "2022-01-21", "day"],
    ["Transkript 23.03.18", "2018-03-23", "day"],
    ["- 24.10.17", "2017-10-24", "day"],
    ["Opdateret 24-10-97", "1997-10-24", "day"],
    ["Sidst opdateret: 29.08.2020", "2020-08-29", "day"],
  ];
  for (const [text, iso, precision] of cases) {
    test(`reads "${text}"`, () => {
      const [d, ...rest] = findDates(text);
      assert.ok(d, "found a date");
      assert.equal(rest.length, 0, `exactly one date in "${text}"`);
      assert.equal(d.iso, iso);
      assert.equal(d.precision, precision);
      assert.equal(text.slice(d.index, d.index + d.length), d.text);
    });
  }

  test("two-digit dates are not times, phone numbers or case numbers", () => {
    for (const text of [
      "kl. 10.15-12.00",
      "kl. 18.00-20.00",
      "tlf. 41.30.66.80",
      "nr. 12.05.18",
      "version 1.12.05",
    ]) {
      assert.deepEqual(isoOf(text), [], text);
    }
  });

  test("a date never takes its year from the next line", () => {
    assert.deepEqual(isoOf("2024\n- Tirsdag den 19. november\n\n2025\n- Onsdag den 5. februar"), [
      "2024-11-19",
      "2025-02-05",
    ]);
  });

  test("day and month without a year take the year from earlier in the text, else the default", () => {
    assert.deepEqual(isoOf("Møde i 2020. Næste møde den 8. september."), ["2020", "2020-09-08"]);
    assert.deepEqual(isoOf("den 8. september", { defaultYear: 2023 }), ["2023-09-08"]);
    assert.deepEqual(isoOf("den 8. september"), [], "no year anywhere and no default: not a date");
  });

  test("the Danish short form day/month year, but not an agenda item before a year", () => {
    assert.deepEqual(
      findDates("mødet 11/11 2020 og 1/2 2021").map((d) => d.iso),
      ["2020-11-11", "2021-02-01"],
    );
    assert.deepEqual(findDates("pkt. 2.3 2020"), []);
  });

  test("rejects impossible dates and case numbers", () => {
    assert.deepEqual(isoOf("31-02-2020 og 30. februar 2021"), []);
    assert.deepEqual(isoOf("SAG-2020-04616 bel"), []);
    assert.deepEqual(isoOf("29-02-2020"), ["2020-02-29"], "leap day");
    assert.deepEqual(isoOf("1. halvår 2021 og 3 mio. kr."), []);
  });

  test("does not read words that merely start like a month", () => {
    assert.deepEqual(isoOf("Martsmødet 2020 og 5 marker"), []);
    assert.deepEqual(isoOf("10 decimaler"), []);
  });

  test("prefers the longest reading where readings overlap", () => {
    const ds = findDates("den 14. september 2020");
    assert.equal(ds.length, 1);
    assert.equal(ds[0]?.text, "14. september 2020");
  });

  test("bare years only on request, never inside case numbers", () => {
    assert.deepEqual(isoOf("2016 har været et år. Rammeaftale 2021-2022"), []);
    assert.deepEqual(isoOf("2016 har været et år. Rammeaftale 2021-2022", { bareYears: true }), [
      "2016",
      "2021",
      "2022",
    ]);
    assert.deepEqual(isoOf("SAG-2020-04616", { bareYears: true }), []);
  });

  test("several dates come back in text order with exact offsets", () => {
    const text = "Fra 1. marts 2021 til 2021-06-30, senest juni 2021.";
    const ds = findDates(text);
    assert.deepEqual(
      ds.map((d) => d.iso),
      ["2021-03-01", "2021-06-30", "2021-06"],
    );
    for (const d of ds) assert.equal(text.slice(d.index, d.index + d.length), d.text);
    assert.equal(parseDate(text)?.iso, "2021-03-01");
    assert.equal(parseDate("ingen datoer"), null);
  });
});

describe("formatting", () => {
  test("Danish", () => {
    assert.equal(formatDanishDate("2020-11-11"), "11. november 2020");
    assert.equal(formatDanishDate("2022-03"), "marts 2022");
    assert.equal(formatDanishDate("2016"), "2016");
    assert.equal(formatDanishDate("2020-02-31"), "2020-02-31", "invalid input is returned unchanged");
  });
  test("English", () => {
    assert.equal(formatEnglishDate("2020-11-01"), "1 November 2020");
    assert.equal(formatEnglishDate("2022-03"), "March 2022");
    assert.equal(formatEnglishDate("nonsense"), "nonsense");
  });
  test("round trip: formatted dates parse back to the same ISO value", () => {
    for (const iso of ["2019-01-31", "2020-02-29", "2024-12-01", "2021-05", "2022-10"]) {
      assert.equal(findDates(formatDanishDate(iso))[0]?.iso, iso);
      assert.equal(findDates(formatEnglishDate(iso))[0]?.iso, iso);
    }
  });
});
