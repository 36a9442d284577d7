import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fitBoostedTrees } from "../../scripts/lib/boosted-trees.js";
import { fitConditionalLogit, fitLogistic } from "../../scripts/lib/logistic.js";
import { FEATURES, modelMatchesFeatures } from "../../src/answer/answer-model.js";
import { personMentions } from "../../src/answer/answer-shape.js";
import { forestLogit } from "../../src/answer/trees.js";
import type { Passage } from "../../src/answer/types.js";
import { unitsOf } from "../../src/answer/units.js";
import { Kkr } from "../../src/kkr.js";
import { splitQuestion } from "../../src/retrieval/multi-part.js";
import { assertCitationsQuoteChunks, buildIndex } from "../helpers/index-fixture.js";

// Invented people and bodies only: the rules must work on names they have never seen.

/** Writes `files` (name → lines) to a temp folder and indexes it for the suite; cleans up after. */
function suiteIndex(files: Record<string, string[]>): { readonly kkr: Kkr } {
  const docs = mkdtempSync(join(tmpdir(), "kkr-gen-"));
  let kkr: Kkr | undefined;
  let cleanup = () => {};
  before(async () => {
    for (const [name, lines] of Object.entries(files)) writeFileSync(join(docs, name), lines.join("\n"));
    const index = await buildIndex(docs);
    cleanup = index.cleanup;
    kkr = await Kkr.open(index.config, { llmAnswerer: null, rewriter: null });
  });
  after(async () => {
    await kkr?.close();
    cleanup();
    rmSync(docs, { recursive: true, force: true });
  });
  return {
    get kkr() {
      if (!kkr) throw new Error("the suite's index is not built yet");
      return kkr;
    },
  };
}

describe("person names from general evidence", () => {
  const names = (t: string) => personMentions(t).map((p) => `${p.name}${p.marked ? "*" : ""}`);

  test("KL's phrasings: title before, party letter and municipality after, particles", () => {
    assert.deepEqual(
      names("Borgmester Jens Ulrik Vinterberg, Hedensted Kommune, er formand for KKR Midtjylland."),
      ["Jens Ulrik Vinterberg*"],
    );
    assert.deepEqual(names("Næstformand er Anne-Marie von Holstein (V), Faxe Kommune."), [
      "Anne-Marie von Holstein*",
    ]);
    assert.deepEqual(names("rådmand Lars de Neergaard fra Aarhus Kommune"), ["Lars de Neergaard*"]);
    assert.deepEqual(names("Sekretariatet ledes af chefkonsulent Mette Skovgaard Lindholt."), [
      "Mette Skovgaard Lindholt*",
    ]);
  });

  test("a town's name can be a surname when a title or party letter marks the person", () => {
    assert.deepEqual(names("Styregruppen ledes af borgmester Jens Peter Kolding (V), Hørsholm Kommune."), [
      "Jens Peter Kolding*",
    ]);
    assert.deepEqual(names("Mødet holdes i Kolding Vejle"), []);
  });

  test("bodies, places, months and ordinary capitalised words are not people", () => {
    assert.deepEqual(
      names("Sundhedskoordinationsudvalget og Erhvervshus Nordjylland mødes i Aalborg Kommune."),
      [],
    );
    assert.deepEqual(names("Mødet afholdes i Rådhushallen. Dato: Tirsdag den 4. marts"), []);
    assert.deepEqual(names("Danske Regioner og Kommunernes Landsforening er enige."), []);
  });
});

describe("sentences", () => {
  const passage = (text: string): Passage =>
    ({ n: 1, score: 1, chunk: { text, section: "", subsections: [], pageBreaks: [] } }) as unknown as Passage;

  test("a quote is never cut at an abbreviation", () => {
    const text =
      "Mødet begynder kl. 14.00 på rådhuset, jf. pkt. 3 i forretningsordenen. Der er afsat ca. 2,5 mio. kr. til bl.a. kurser for nye medlemmer m.fl., fx om økonomi. Næste møde er i maj.";
    const sentences = unitsOf(passage(text)).map((u) => u.text);
    assert.deepEqual(sentences, [
      "Mødet begynder kl. 14.00 på rådhuset, jf. pkt. 3 i forretningsordenen.",
      "Der er afsat ca. 2,5 mio. kr. til bl.a. kurser for nye medlemmer m.fl., fx om økonomi.",
      "Næste møde er i maj.",
    ]);
  });
});

describe("two-part questions", () => {
  test("are split into their parts; one question stays whole", () => {
    assert.deepEqual(splitQuestion("Hvor og hvornår holder KKR Sjælland møde i maj?"), [
      "Hvor holder KKR Sjælland møde i maj?",
      "Hvornår holder KKR Sjælland møde i maj?",
    ]);
    assert.deepEqual(splitQuestion("Hvem er formand for KKR Sjælland, og hvem er næstformand?"), [
      "Hvem er formand for KKR Sjælland?",
      // the second office is of the same body
      "Hvem er næstformand for KKR Sjælland?",
    ]);
    assert.deepEqual(splitQuestion("Hvem var formand i 2018, og hvem blev formand i 2022?"), [
      "Hvem var formand i 2018?",
      "Hvem blev formand i 2022?",
    ]);
    assert.equal(splitQuestion("Hvem er formand og næstformand i KKR Sjælland?").length, 1);
  });
});

describe("the fitted answer model", () => {
  test("the shipped weights were fitted for exactly these features", () => {
    assert.ok(modelMatchesFeatures(), "run scripts/fit-answer-model.ts");
    assert.ok(FEATURES.length > 10);
  });

  test("logistic regression and the conditional-logit ranker learn a separable rule", () => {
    const row = (a: number, b: number) => Float64Array.from([1, a, b]);
    const samples = Array.from({ length: 200 }, (_, i) => {
      const a = (i % 20) / 20;
      const b = Math.floor(i / 20) / 10;
      return { x: row(a, b), y: (a > 0.5 ? 1 : 0) as 0 | 1, w: 1 };
    });
    const w = fitLogistic(samples, 3);
    assert.ok(w[1]! > 2 && Math.abs(w[2]!) < Math.abs(w[1]!) / 2, `weights ${w}`);
    const groups = Array.from({ length: 30 }, (_, g) => {
      const xs = [row(0.9, g / 30), row(0.2, 1 - g / 30), row(0.4, 0.5)];
      return { xs, pos: [true, false, false] };
    });
    const r = fitConditionalLogit(groups, 3);
    assert.ok(r[1]! > 1, `ranker ${r}`);
  });

  test("boosted trees learn an interaction a linear model cannot (an exclusive-or)", () => {
    const samples = Array.from({ length: 400 }, (_, i) => {
      const a = (i % 20) / 20;
      const b = Math.floor(i / 20) / 20;
      // an exclusive-or: right when exactly one of the two is high
      return { x: Float64Array.from([1, a, b]), y: (a > 0.5 !== b > 0.5 ? 1 : 0) as 0 | 1, w: 1 };
    });
    const forest = fitBoostedTrees(samples, 3, { rounds: 80 });
    const p = (a: number, b: number) => 1 / (1 + Math.exp(-forestLogit(forest, [1, a, b])));
    assert.ok(p(0.9, 0.1) > 0.8 && p(0.1, 0.9) > 0.8, "one high: answer");
    assert.ok(p(0.1, 0.1) < 0.2 && p(0.9, 0.9) < 0.2, "both or neither: decline");
    const w = fitLogistic(samples, 3);
    const linear = (a: number, b: number) => 1 / (1 + Math.exp(-(w[0]! + w[1]! * a + w[2]! * b)));
    assert.ok(Math.abs(linear(0.9, 0.1) - linear(0.9, 0.9)) < 0.3, "the linear model can't separate them");
  });
});

describe("answers over documents nobody tuned for", () => {
  const fx = suiteIndex({
    "kkr-nordjylland-moedeplan-2025.txt": [
      "KKR Nordjylland – mødeplan 2025",
      "",
      "Onsdag den 5. marts 2025 kl. 9.00-12.00",
      "Sted: Hotel Fjordgården, Havnegade 4, 9400 Nørresundby",
      "",
      "Fredag den 13. juni 2025 kl. 10.00-13.00",
      "Mødet holdes virtuelt via Teams.",
      "",
      "Borgmester Kirsten Holmsgaard Dahl (A), Thisted Kommune, er formand for KKR Nordjylland.",
      "Næstformand er borgmester Ole Brinch Vestergaard (V), Læsø Kommune.",
      "",
      "Ministeren vil komme ind på følgende temaer:",
      "- Nærhed i sundhedsvæsenet",
      "- Rekruttering af sygeplejersker",
    ],
    "kkr-nordjylland-praktikpladser-2024.txt": [
      "Praktikpladser til social- og sundhedsassistenter 2024",
      "",
      "I alt skal de nordjyske kommuner oprette 412 praktikpladser i 2024.",
      "Aalborg Kommune skal oprette 160 praktikpladser, og Hjørring Kommune skal oprette 48.",
    ],
    "kkr-nordjylland-tolkebistand-2025.txt": [
      "Fordeling af tolketimer 2025",
      "",
      "Opdateret 3. februar 2025 · Tekst af Karen Bøgh Lindvig",
      "",
      "KKR Nordjylland har fordelt tolketimerne til sundhedsområdet for 2025 således:",
      "",
      "Kommune",
      "Tolketimer 2025",
      "Andel (pct.)",
      "Rebild",
      "310",
      "12,4",
      "Vesthimmerland",
      "275",
      "11,0",
      "Mariagerfjord",
      "402",
      "16,1",
    ],
  });

  test("a meeting asked for by its month gets that meeting, not another one", async () => {
    const r = await fx.kkr.ask("Hvor holder KKR Nordjylland møde i marts 2025?");
    // the June meeting's place is never given; whether the March one is answered depends on the
    // decision model's confidence, which sits near its threshold here (see the issue note)
    assert.doesNotMatch(r.answer, /Teams/);
    if (!r.abstained) assert.match(r.answer, /Fjordgården/);
    await assertCitationsQuoteChunks(fx.kkr.store, r.answer, r.citations);
  });

  test("a municipality's figure is not its region's total", async () => {
    const r = await fx.kkr.ask("Hvor mange praktikpladser skal Hjørring Kommune oprette i 2024?");
    assert.doesNotMatch(r.answer, /412/);
    const other = await fx.kkr.ask("Hvor mange praktikpladser skal Brønderslev Kommune oprette i 2024?");
    assert.equal(other.abstained, true, other.answer);
  });

  test("an intro that announces a list comes with the list", async () => {
    const r = await fx.kkr.ask("Hvilke temaer vil ministeren komme ind på?");
    assert.equal(r.abstained, false, r.answer);
    assert.match(r.answer, /Nærhed i sundhedsvæsenet/);
    assert.match(r.answer, /Rekruttering af sygeplejersker/);
  });

  test("a two-part question answers both parts, each cited", async () => {
    const r = await fx.kkr.ask("Hvem er formand for KKR Nordjylland, og hvem er næstformand?");
    assert.match(r.answer, /Kirsten Holmsgaard Dahl/);
    assert.match(r.answer, /Ole Brinch Vestergaard/);
    assert.ok(r.citations.length >= 2);
    await assertCitationsQuoteChunks(fx.kkr.store, r.answer, r.citations);
  });

  test("a table row the question names comes with the table's header row", async () => {
    const r = await fx.kkr.ask("Hvor mange tolketimer får Vesthimmerland Kommune i 2025?");
    assert.equal(r.abstained, false, r.answer);
    assert.match(r.answer, /Tolketimer 2025/);
    assert.match(r.answer, /Vesthimmerland \| 275/);
    assert.doesNotMatch(r.answer, /Rebild \| 310/);
    await assertCitationsQuoteChunks(fx.kkr.store, r.answer, r.citations);
  });

  test("a page's own date line is not the answer to when something happens", async () => {
    const r = await fx.kkr.ask("Hvornår bliver tolketimerne fordelt?");
    assert.doesNotMatch(r.answer.split("\n\n")[0] ?? "", /Opdateret/);
  });

  test("a decline shows the closest relevant passage, quoted and cited", async () => {
    const r = await fx.kkr.ask("Hvor mange praktikpladser skal kommunerne oprette i 2031?");
    assert.equal(r.abstained, true, r.answer);
    if (r.citations.length > 0) {
      assert.ok(r.closest[0]?.quote, "the closest passage is in closest");
      await assertCitationsQuoteChunks(fx.kkr.store, r.answer, r.citations);
    }
  });
});

describe("documents as transcripts and tables write them", () => {
  const fx = suiteIndex({
    // a hard-wrapped text transcript: the sentence naming the chair runs over two lines
    "kkr-sjaelland-referat-2019-05-06.txt": [
      "R E F E R A T",
      "",
      "Punkt 2. Konstituering af Trafikforum Vestsjælland",
      "Trafikforum Vestsjælland har på sit første møde valgt en ny formand. Ny formand er borgmester",
      "Henrik Sølvhøj Rasmussen (C), Kalundborg Kommune, og næstformand er rådmand Birthe Lykke",
      "Gammelgaard (A), Slagelse Kommune. Forummet mødes fire gange om året på Slagelse Rådhus.",
      "",
      "Forkortelser",
      "TVS Trafikforum Vestsjælland",
      "KDF Kommunaldirektørforum",
    ],
    // a one-cell-per-line money table with years over the columns and a source line after it
    "kkr-syddanmark-klimapulje-2023.txt": [
      "Fordeling af klimapuljen",
      "",
      "Tabel 2. Tilskud fra klimapuljen pr. kommune",
      "",
      "Kommune",
      "2022",
      "2023",
      "Svendborg",
      "1.250.000 kr.",
      "1.400.000 kr.",
      "Nyborg",
      "880.000 kr.",
      "910.000 kr.",
      "Faaborg-Midtfyn",
      "1.020.000 kr.",
      "990.000 kr.",
      "Kilde: Kommunernes indberetninger",
      "",
      "Puljen administreres af sekretariatet for KKR Syddanmark.",
    ],
  });

  test("a sentence wrapped over lines in a text transcript is one answer, with the whole name", async () => {
    // (answered, or quoted as the closest passage: either way the sentence is whole)
    const r = await fx.kkr.ask("Hvem er næstformand for Trafikforum Vestsjælland?");
    assert.match(r.answer, /rådmand Birthe Lykke Gammelgaard \(A\), Slagelse Kommune/, r.answer);
    await assertCitationsQuoteChunks(fx.kkr.store, r.answer, r.citations);
  });

  test("an acronym the documents spell out in a list is answered outright", async () => {
    const r = await fx.kkr.ask("Hvad står KDF for?");
    assert.equal(r.abstained, false, r.answer);
    assert.match(r.answer, /KDF står for Kommunaldirektørforum/);
    const en = await fx.kkr.ask("What does KDF stand for in the minutes?");
    assert.equal(en.abstained, false, en.answer);
    assert.match(en.answer, /KDF stands for Kommunaldirektørforum/);
  });

  test("a money table with years over its columns is read row by row, with its header", async () => {
    const r = await fx.kkr.ask("Hvor meget fik Nyborg fra klimapuljen i 2023?");
    assert.match(r.answer, /Nyborg \| 880\.000 kr\. \| 910\.000 kr\./, r.answer);
    assert.match(r.answer, /Kommune \| 2022 \| 2023/);
    assert.doesNotMatch(r.answer, /Svendborg \|/);
  });
});
