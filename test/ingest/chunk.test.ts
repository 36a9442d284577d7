import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chunkDocument, type DraftChunk, SECTION_SEPARATOR } from "../../ingest/chunk.js";
import { cleanDocument } from "../../ingest/clean.js";

const noHints = { headingHints: [], pageOffsets: [] };

/** Deterministic PRNG so failures reproduce. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS =
  "kommune region aftale møde sundhed rammeaftale erhvervshus klima borger indsats udvalg plan".split(" ");

function sentence(r: () => number): string {
  const n = 4 + Math.floor(r() * 18);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)] ?? "ord");
  const s = words.join(" ");
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

function randomDoc(seed: number): string {
  const r = rng(seed);
  const parts: string[] = [];
  for (let p = 0; p < 40; p++) {
    const x = r();
    if (x < 0.1)
      parts.push(`${1 + Math.floor(r() * 5)}.${1 + Math.floor(r() * 5)}. ${sentence(r).slice(0, -1)}`);
    else if (x < 0.2)
      parts.push(
        `${sentence(r).slice(0, -1)}:\n${Array.from({ length: 2 + Math.floor(r() * 6) }, () => `- ${sentence(r)}`).join("\n")}`,
      );
    else if (x < 0.25) parts.push("X".repeat(Math.floor(r() * 3000)));
    else
      parts.push(
        Array.from({ length: 1 + Math.floor(r() * 12) }, () => sentence(r)).join(r() < 0.3 ? "\n" : " "),
      );
  }
  return parts.join(r() < 0.5 ? "\n\n" : "\n\n\n");
}

function checkInvariants(text: string, chunks: DraftChunk[], max = 1200) {
  let prevStart = -1;
  let coveredTo = 0;
  chunks.forEach((c, i) => {
    assert.equal(c.ordinal, i);
    assert.equal(c.text, text.slice(c.start, c.end), "text is the exact slice");
    assert.ok(c.end > c.start, "non-empty");
    assert.ok(c.end - c.start <= max, `chunk ${i} is ${c.end - c.start} chars`);
    assert.ok(c.start > prevStart, "chunks advance");
    assert.equal(c.text, c.text.trim(), "no leading or trailing whitespace");
    // Nothing between chunks but whitespace: no text is lost.
    if (c.start > coveredTo) assert.equal(text.slice(coveredTo, c.start).trim(), "", `gap before chunk ${i}`);
    coveredTo = Math.max(coveredTo, c.end);
    prevStart = c.start;
  });
  assert.equal(text.slice(coveredTo).trim(), "", "tail covered");
}

describe("invariants", () => {
  for (const seed of [1, 2, 3, 42, 1234]) {
    test(`random document ${seed}: exact slices, bounded size, full coverage`, () => {
      const text = randomDoc(seed);
      checkInvariants(text, chunkDocument(text, noHints));
    });
  }

  test("other size limits are respected", () => {
    const text = randomDoc(7);
    checkInvariants(text, chunkDocument(text, { ...noHints, maxChars: 400, minChars: 200 }), 400);
  });

  test("a 5 MB line without sentence ends is split in linear time at word boundaries", () => {
    const text = "ord ".repeat(1_300_000).trim();
    const t0 = performance.now();
    const chunks = chunkDocument(text, noHints);
    assert.ok(performance.now() - t0 < 5000);
    checkInvariants(text, chunks);
    for (const c of chunks.slice(0, 50)) assert.match(c.text, /^ord( ord)*$/, "never cut inside a word");
  });

  test("empty and whitespace-only text gives no chunks", () => {
    assert.deepEqual(chunkDocument("", noHints), []);
    assert.deepEqual(chunkDocument("\n\n  \n", noHints), []);
  });
});

describe("sentences and overlap", () => {
  const r = rng(99);
  const sentences = Array.from({ length: 60 }, () => sentence(r));
  const text = `Overskrift\n\n${sentences.join(" ")}`;
  const chunks = chunkDocument(text, noHints);

  test("a long paragraph is cut only at sentence ends", () => {
    assert.ok(chunks.length >= 3);
    for (const c of chunks) assert.match(c.text, /\.$/);
  });

  test("consecutive chunks share exactly one sentence", () => {
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1];
      const cur = chunks[i];
      assert.ok(prev && cur);
      assert.ok(cur.start < prev.end, "overlap");
      const shared = text.slice(cur.start, prev.end);
      assert.ok(sentences.includes(shared), `overlap is one whole sentence: "${shared}"`);
    }
  });

  test("abbreviations and ordinals do not end sentences", () => {
    const t = `${"Indledning. ".repeat(80)}Der var bl.a. ca. 33 pct. og 3 mio. kr. til mødet den 8. september. Slut.`;
    const cs = chunkDocument(t, noHints);
    assert.ok(
      cs.some((c) => c.text.includes("Der var bl.a. ca. 33 pct. og 3 mio. kr. til mødet den 8. september.")),
    );
  });
});

describe("structure", () => {
  const agenda = [
    "1. Godkendelse af referat",
    "",
    "1.1. Godkendelse af referat fra mødet",
    "",
    "Baggrund",
    "",
    `Referatet kan læses her. ${"Det er en lang baggrund. ".repeat(14)}`,
    "",
    "Indstilling",
    "",
    "Det indstilles, at referatet godkendes.",
    "",
    "2. Regionalpolitiske sager",
    "",
    "2.1 Rammeaftalen",
    "",
    "Sagsfremstilling",
    "",
    "Rammeaftalen har tre indsatsområder:",
    "",
    "1. Tværsektoriel kobling",
    "2. Styring og kapacitet",
    "3. Kvalitet i indsatser.",
    "",
    `${"Mere tekst om aftalen. ".repeat(10)}`,
  ].join("\n");
  const chunks = chunkDocument(agenda, noHints);

  test("numbered items build the section path; agenda sub-headings are a third level", () => {
    const sections = chunks.map((c) => c.section);
    assert.ok(
      sections.includes(
        ["1. Godkendelse af referat", "1.1 Godkendelse af referat fra mødet", "Baggrund"].join(
          SECTION_SEPARATOR,
        ),
      ),
    );
    assert.ok(
      sections.some((s) => s.startsWith(`2. Regionalpolitiske sager${SECTION_SEPARATOR}2.1 Rammeaftalen`)),
    );
    assert.ok(
      !sections.some((s) => s.includes("Tværsektoriel")),
      "a numbered list after a colon is not a heading",
    );
  });

  test("item is the innermost agenda number", () => {
    for (const c of chunks) {
      const expected = c.section.includes("2.1 ") ? "2.1" : c.section.includes("1.1 ") ? "1.1" : null;
      assert.equal(c.item, expected, c.section);
    }
  });

  test("a heading alone merges into its first child; the numbered list stays with its intro", () => {
    const first = chunks[0];
    assert.ok(first?.text.startsWith("1. Godkendelse af referat\n\n1.1."));
    const listChunk = chunks.find((c) => c.text.includes("1. Tværsektoriel"));
    assert.ok(
      listChunk?.text.includes(
        "Rammeaftalen har tre indsatsområder:\n\n1. Tværsektoriel kobling\n2. Styring",
      ),
    );
  });

  test("a list too long for one chunk stays with its intro and breaks only between items", () => {
    const items = Array.from(
      { length: 40 },
      (_, i) => `- Punkt nummer ${i} om kommunernes samarbejde i regionen`,
    );
    const text = `Indledende afsnit. ${"Fyld. ".repeat(120)}\n\nKKR udpeger til:\n${items.join("\n")}`;
    const cs = chunkDocument(text, noHints);
    checkInvariants(text, cs);
    const withIntro = cs.find((c) => c.text.includes("KKR udpeger til:"));
    assert.ok(withIntro?.text.includes("KKR udpeger til:\n- Punkt nummer 0"));
    for (const c of cs) if (c.text.includes("- Punkt")) assert.match(c.text, /samarbejde i regionen$/);
  });

  test("ALL-CAPS lines and '01 / …' titles are headings; headlines without markup too", () => {
    // Long enough (> 300 chars) that no section counts as tiny and merges into the next.
    const body = (n: number) =>
      `Dette er brødtekst nummer ${n}, som er lang nok til at være et rigtigt afsnit. `.repeat(5).trim();
    const text = [
      "01 / SAMARBEJDET I KKR",
      "",
      body(1),
      "",
      "Rammeaftale for det specialiserede socialområde",
      "",
      body(2),
      "",
      "02 / NY VALGPERIODE",
      "",
      "EN HILSEN FRA FORMANDSKABET",
      "",
      body(3),
    ].join("\n");
    const cs = chunkDocument(text, { ...noHints, minChars: 50 });
    const sections = cs.map((c) => c.section);
    assert.ok(sections.includes("01 / SAMARBEJDET I KKR"));
    assert.ok(
      sections.includes(
        `01 / SAMARBEJDET I KKR${SECTION_SEPARATOR}Rammeaftale for det specialiserede socialområde`,
      ),
    );
    assert.ok(sections.includes(`02 / NY VALGPERIODE${SECTION_SEPARATOR}EN HILSEN FRA FORMANDSKABET`));
  });

  test("lines starting with an ordinal or a date are not agenda items", () => {
    const text =
      "1. halvår 2021 blev der ansat nye medarbejdere.\n\n14. september 2020\n\n3. Kvalitet i indsatserne.";
    assert.ok(chunkDocument(text, noHints).every((c) => c.item === null && c.section === ""));
  });

  test("short lines that are not followed by a paragraph are not headlines", () => {
    const text = "Borgmester\nMikael Smed (A)\nFormand\n\nPolitisk\n\nKKR Sjælland\nKKR formandskab";
    assert.deepEqual(
      chunkDocument(text, noHints).map((c) => c.section),
      [""],
    );
  });

  test("markdown heading hints are used and a TOC rendered as a list never becomes headings", () => {
    const src =
      "# Dagsorden\n\n1.\tGodkendelse .....\t3\n2.\tSager .....\t4\n\n## 1. Godkendelse\n\nTekst om godkendelse.\n\n## 2. Sager\n\nTekst om sager.";
    const doc = cleanDocument({ format: "markdown", pages: [src] });
    const cs = chunkDocument(doc.text, doc);
    assert.deepEqual(
      cs.map((c) => [c.section, c.item]),
      [
        ["Indhold", null],
        ["1. Godkendelse", "1"],
        ["2. Sager", "2"],
      ],
    );
  });

  test("page is the 1-based PDF page of the chunk start", () => {
    const pages = [1, 2, 3].map((n) => `${n}. Punkt nummer ${n}\n\n${`Tekst på side ${n}. `.repeat(30)}`);
    const doc = cleanDocument({ format: "pdf", pages });
    const cs = chunkDocument(doc.text, doc);
    for (const c of cs) {
      const expected = Number(c.item);
      assert.equal(c.page, expected, c.text.slice(0, 30));
    }
    assert.ok(cs.every((c) => c.page !== null));
    assert.ok(chunkDocument("Tekst.", noHints).every((c) => c.page === null));
  });
});
