import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { isStandardWording, itemKind, kindFromWording } from "../../src/meetings/item-kind.js";
import { type SummaryResult, summarizeRef } from "../../src/meetings/summary.js";
import { KkrStore } from "../../src/store/store.js";
import { assertCitationsQuoteChunks, buildIndex, tempDir } from "../helpers/index-fixture.js";
import { indexCorpus } from "./corpus-index.js";

/** The one-screen summary: header, then one cited line per agenda item with its kind and one fact. */

const itemLines = (r: SummaryResult) => r.answer.split("\n").filter((l) => /^\d+\.\d+ /.test(l));
const line = (r: SummaryResult, n: string) => r.answer.split("\n").find((l) => l.startsWith(`${n} `)) ?? "";

describe("item kinds from the recommendation's wording", () => {
  test("the standard Danish formulas", () => {
    const cases: [string, string][] = [
      ["Det indstilles, at KKR Fyn tager orienteringen til efterretning.", "Orientering"],
      ["Det indstilles, at KKR drøfter de fælles pejlemærker, og hvilken retning de sætter.", "Drøftelse"],
      ["Det indstilles, at KKR tager en drøftelse med afsæt i ministerens oplæg.", "Drøftelse"],
      ["Det indstilles, at KKR godkender referatet fra mødet den 8. september 2020.", "Godkendelse"],
      ["Det indstilles, at KKR udpeger et medlem til bestyrelsen.", "Udpegning"],
      ["Det indstilles, at KKR beslutter at afsætte midler til en koordinator.", "Beslutning"],
      ["Det indstilles, at KKR drøfter og godkender udkastet.", "Godkendelse"],
      [
        "Det indstilles, at KKR tager orienteringen om de godkendte projekter til efterretning.",
        "Orientering",
      ],
      ["Godkendt.", "Godkendelse"],
      ["Taget til efterretning.", "Orientering"],
      ["Sekretariatet indstiller, at bestyrelsen drøfter sagen og godkender papiret.", "Godkendelse"],
    ];
    for (const [text, kind] of cases) assert.equal(kindFromWording(text), kind, text);
    assert.equal(itemKind({ title: "Godkendelse af dagsorden" }), "Godkendelse");
    assert.equal(itemKind({ title: "Eventuelt" }), null);
  });

  test("standard wording is recognised; specific wording is not", () => {
    assert.ok(
      isStandardWording("Det indstilles, at KKR Syddanmark tager orienteringen til efterretning.", [
        "Syddanmark",
      ]),
    );
    assert.ok(
      isStandardWording(
        "Det indstilles, at KKR Syddanmark godkender referatet fra mødet den 8. september 2020.",
        ["Syddanmark"],
      ),
    );
    assert.ok(
      isStandardWording("Det indstilles, at KKR Syddanmark drøfter punkter/temaer til næste møde.", [
        "Syddanmark",
      ]),
    );
    assert.ok(
      !isStandardWording(
        "Det indstilles, at KKR Syddanmark drøfter rammeaftalens indsatsområder med afsæt i oplægget.",
        ["Syddanmark"],
      ),
    );
  });
});

describe("one-screen summary of the reference agenda (11 November 2020, 15 numbered headings)", () => {
  let store: KkrStore;
  let cleanup: () => Promise<void>;
  let r: SummaryResult;
  before(async () => {
    ({ store, cleanup } = await indexCorpus());
    r = await summarizeRef(store, "KKR Syddanmark 11. november 2020");
  });
  after(() => cleanup());

  test("fits one screen: at most 15 lines, header then one line per item, in order", () => {
    const lines = r.answer.split("\n");
    assert.ok(lines.length <= 15, `${lines.length} lines:\n${r.answer}`);
    assert.equal(r.detail, false);
    assert.match(
      lines[0] ?? "",
      /^KKR Syddanmark – møde 11\. november 2020 kl\. 10:00, Virtuelt via Teams \[1\]/,
    );
    assert.match(lines[1] ?? "", /^Dokumenter: dagsorden kkr-syddanmark-dagsorden-2020-11-11\.md/);
    assert.deepEqual(
      itemLines(r).map((l) => l.split(" ")[0]),
      ["1.1", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "4.1", "5.1"],
    );
    assert.ok(r.citations.length <= 15, `${r.citations.length} citations`);
  });

  test("each item's kind is read from its Indstilling", () => {
    const kinds = Object.fromEntries(r.items.map((i) => [i.number, i.itemKind]));
    assert.deepEqual(kinds, {
      "1.1": "Godkendelse",
      "2.1": "Drøftelse",
      "2.2": "Orientering",
      "2.3": "Orientering",
      "2.4": "Drøftelse",
      "2.5": "Drøftelse",
      "3.1": "Orientering",
      "3.2": "Orientering",
      "4.1": "Drøftelse",
      "5.1": null,
    });
    assert.match(line(r, "2.2"), /^2\.2 Ny rammeaftale for erhvervshusene for 2021-2023 – Orientering/);
    assert.match(line(r, "1.1"), /– Godkendelse \[\d+\]$/);
  });

  test("standard recommendations are named by kind, not quoted; the one fact that matters is", () => {
    assert.ok(!r.answer.includes("tager orienteringen til efterretning"), r.answer);
    assert.ok(!r.answer.includes("Det indstilles"), r.answer);
    assert.match(line(r, "2.3"), /3 mio\. kr\./);
    assert.match(line(r, "3.1"), /Mogens Mulle Johansen.*udpeget/);
    assert.match(line(r, "4.1"), /5\. februar 2021/);
  });

  test("every item line is cited with an exact quote", async () => {
    for (const l of itemLines(r)) assert.match(l, /\[\d+\]$/, l);
    await assertCitationsQuoteChunks(store, r.answer, r.citations);
  });

  test("English: English kind labels around the Danish facts", async () => {
    const en = await summarizeRef(store, "the Syddanmark meeting on 11 November 2020");
    assert.match(en.answer, /^KKR Syddanmark – meeting 11 November 2020/);
    assert.match(line(en, "2.2"), /– Information/);
    assert.match(line(en, "1.1"), /– Approval/);
    assert.match(line(en, "2.1"), /– Discussion/);
  });

  test("--detail keeps the long form", async () => {
    const long = await summarizeRef(store, "KKR Syddanmark 11. november 2020", { detail: true });
    assert.equal(long.detail, true);
    assert.ok(long.answer.split("\n").length > 40);
    assert.match(
      long.answer,
      /Indstilling: Det indstilles, at KKR Syddanmark tager orienteringen til efterretning/,
    );
  });
});

describe("one-screen summary of a 15-item agenda with every kind of item", () => {
  let store: KkrStore;
  let r: SummaryResult;
  const docs = tempDir("kkr-agenda-");
  let cleanupIndex: () => void = () => {};
  before(async () => {
    writeFileSync(join(docs.path, "kkr-nordjylland-dagsorden-2023-03-14.md"), fifteenItemAgenda());
    const index = await buildIndex(docs.path);
    cleanupIndex = index.cleanup;
    store = await KkrStore.open(index.db);
    r = await summarizeRef(store, "KKR Nordjylland 14. marts 2023");
  });
  after(() => {
    store.close();
    cleanupIndex();
    docs.cleanup();
  });

  test("header plus one line per item: 17 lines for 15 items, none of the five group headings", () => {
    const lines = r.answer.split("\n");
    assert.equal(itemLines(r).length, 15, r.answer);
    assert.ok(lines.length <= 17, `${lines.length} lines:\n${r.answer}`);
    assert.ok(!lines.some((l) => /^\d+\. /.test(l)), "no group headings");
  });

  test("kinds and facts follow the wording, whatever the item is called", () => {
    const kinds = r.items.map((i) => i.itemKind);
    for (const k of ["Orientering", "Drøftelse", "Beslutning", "Godkendelse", "Udpegning"]) {
      assert.ok(kinds.includes(k as never), `${k} in ${kinds.join(", ")}`);
    }
    assert.match(line(r, "2.1"), /– Udpegning: .*Birte Hjortkær/);
    assert.match(line(r, "2.2"), /– Beslutning: .*2,5 mio\. kr\./);
    assert.match(line(r, "3.1"), /– Godkendelse/);
    assert.match(line(r, "3.3"), /– Orientering: .*1\. juni 2023/);
  });

  test("every item line cites an exact quote", async () => {
    for (const l of itemLines(r)) assert.match(l, /\[\d+\]$/, l);
    await assertCitationsQuoteChunks(store, r.answer, r.citations);
  });
});

/** An agenda in the reference layout, with invented people and bodies. */
function fifteenItemAgenda(): string {
  const item = (n: string, title: string, background: string, recommendation: string) =>
    `### ${n}. ${title}\n\nSAG-2023-00${n.replace(".", "")} abc\n\n#### Baggrund\n\n${background}\n\n#### Indstilling\n\n${recommendation}\n`;
  const ind = (rest: string) => `Det indstilles, at KKR Nordjylland ${rest}`;
  const groups: [string, string, [string, string, string][]][] = [
    [
      "1",
      "Godkendelse",
      [
        [
          "Godkendelse af dagsorden",
          "Dagsordenen er udsendt en uge før mødet.",
          ind("godkender dagsordenen."),
        ],
        [
          "Godkendelse af referat fra mødet den 10. januar 2023",
          "Referatet er udsendt til medlemmerne.",
          ind("godkender referatet fra mødet den 10. januar 2023."),
        ],
        [
          "Meddelelser fra formanden",
          "Formanden orienterer om de seneste møder med regionen.",
          ind("tager orienteringen til efterretning."),
        ],
      ],
    ],
    [
      "2",
      "Sager til beslutning",
      [
        [
          "Ny repræsentant i Vækstrådet Nord",
          "Vækstrådet Nord har bedt KKR om et nyt medlem. Borgmester Birte Hjortkær, Hjørring Kommune, har sagt ja til at stille op.",
          ind("udpeger Birte Hjortkær til Vækstrådet Nord."),
        ],
        [
          "Midler til fælles rekrutteringsindsats",
          "Kommunaldirektørkredsen foreslår, at der afsættes 2,5 mio. kr. til en fælles rekrutteringsindsats på ældreområdet i 2023 og 2024.",
          ind("beslutter at afsætte 2,5 mio. kr. til indsatsen."),
        ],
        [
          "Fælles mål for klimatilpasning",
          "Arbejdsgruppen har formuleret fire fælles mål for klimatilpasning langs kysterne.",
          ind("drøfter de fire mål og giver input til det videre arbejde."),
        ],
        [
          "Kapacitet på det specialiserede socialområde",
          "Der er i dag 12 ledige pladser på de regionale tilbud.",
          ind("drøfter kapaciteten."),
        ],
      ],
    ],
    [
      "3",
      "Sager til godkendelse",
      [
        [
          "Rammeaftale 2024",
          "Rammeaftalen beskriver samarbejdet om de specialiserede tilbud.",
          ind("godkender rammeaftalen."),
        ],
        [
          "Resultatkontrakt med Erhvervshus Nord",
          "Kontrakten har et budget på 18 mio. kr. om året.",
          ind("godkender resultatkontrakten for 2023."),
        ],
        [
          "Status på uddannelsesaftalen",
          "Aftalen træder i kraft den 1. juni 2023 for alle elever.",
          ind("tager orienteringen til efterretning."),
        ],
      ],
    ],
    [
      "4",
      "Orientering",
      [
        [
          "Orientering om trafikplanen",
          "Trafikselskabet har sendt planen i høring til kommunerne.",
          ind("tager orienteringen til efterretning."),
        ],
        [
          "Siden sidst",
          "Anders Vinterberg, Thisted Kommune, er udpeget til Fødevarenetværket.",
          ind("tager orienteringen til efterretning."),
        ],
        [
          "Kommende temamøde",
          "Temamødet om sundhed holdes i Aalborg.",
          ind("tager orienteringen til efterretning."),
        ],
      ],
    ],
    [
      "5",
      "Afslutning",
      [
        [
          "Punkter til næste møde",
          "Næste møde holdes den 9. maj 2023.",
          ind("drøfter punkter til næste møde."),
        ],
        ["Eventuelt", "Intet.", ind("tager orienteringen til efterretning.")],
      ],
    ],
  ];
  const body = groups
    .map(([g, title, items]) =>
      [`## ${g}. ${title}\n`, ...items.map(([t, b, rec], i) => item(`${g}.${i + 1}`, t, b, rec))].join("\n"),
    )
    .join("\n");
  return `## DAGSORDEN 2023\n\n# KKR NORDJYLLAND\n\n**Dato:** 14-03-2023 09:30\n\n**Sted:** Aalborg Kongres & Kultur Center\n\n${body}`;
}
