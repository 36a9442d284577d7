import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { extractBytes } from "../../ingest/extract.js";
import { parseDocument } from "../../ingest/parse-document.js";
import { readWebPage, stripSiteName } from "../../ingest/web-page.js";
import type { ParsedDocument } from "../../src/types.js";
import { makePdf } from "../helpers/make-pdf.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/web/${name}`, import.meta.url), "utf8");

function parse(name: string): ParsedDocument {
  const format = name.endsWith(".html") ? "html" : "text";
  return parseDocument({ format, pages: [fixture(name)] }, { source: name, fileName: name });
}

/** Every chunk's text is the document's text at its offsets. */
function assertOffsets(doc: ParsedDocument) {
  for (const c of doc.chunks) assert.equal(doc.text.slice(c.start, c.end), c.text);
}

describe("a news page (header, nav, breadcrumbs, cookie banner, article, aside, footer)", () => {
  const doc = parse("nyhed-kkr-midtjylland-konstituering.html");
  test("the article is kept, the page chrome is not", () => {
    assert.match(doc.text, /^Ny formand for KKR Midtjylland\n/);
    assert.match(
      doc.text,
      /KKR Midtjylland holdt sit konstituerende møde den 26\. januar 2023 på Silkeborg Rådhus/,
    );
    assert.match(doc.text, /^- Jens Olufsen Brask \(V\), Skive Kommune, næstformand$/m);
    for (const chrome of [
      /Gå til hovedindhold/,
      /cookies/i,
      /Acceptér/,
      /Hovedmenu|^Forside$/m,
      /›/,
      /Del artikel/,
      /Relaterede nyheder/,
      /Temamøde om klima/i,
      /Privatlivspolitik/,
      /Bygaden 1/,
    ]) {
      assert.doesNotMatch(doc.text, chrome);
    }
    assertOffsets(doc);
  });
  test("title from the page (not the site), date from the meta tags, url from the canonical link", () => {
    assert.equal(doc.meta.title, "Ny formand for KKR Midtjylland");
    assert.equal(doc.meta.kind, "nyhed");
    assert.equal(doc.meta.region, "Midtjylland");
    assert.equal(doc.meta.publishedDate, "2023-01-27");
    assert.equal(doc.meta.url, "https://netvaerk.example.dk/nyheder/2023/ny-formand-kkr-midtjylland");
  });
  test("the meeting it reports is its meeting, kept apart from its publication date", () => {
    assert.equal(doc.meta.meetingDate, "2023-01-26");
    assert.equal(doc.meta.place, "Silkeborg Rådhus");
    assert.deepEqual(
      doc.meetings.map((m) => [m.date, m.body, m.kkr, m.start, m.end]),
      [["2023-01-26", "KKR Midtjylland", true, 0, doc.text.length]],
    );
  });
});

describe("an appointments page with a table", () => {
  const doc = parse("udpegninger-kkr-syddanmark.html");
  test("kind, title without site name, date from <time>, canonical url", () => {
    assert.equal(doc.meta.kind, "udpegning");
    assert.equal(doc.meta.title, "Udpegninger til Sundhedssamarbejdsudvalget");
    assert.equal(doc.meta.region, "Syddanmark");
    assert.equal(doc.meta.publishedDate, "2024-02-09");
    assert.equal(doc.meta.url, "https://netvaerk.example.dk/kkr/syddanmark/udpegninger-sundhed");
  });
  test("table rows stay rows; chrome is gone", () => {
    assert.match(doc.text, /^Birthe Holmgaard \(V\) \| Nordfyns Kommune \| Næstformand$/m);
    assert.doesNotMatch(doc.text, /Du er her|Spring til|cookie|Følg os|Se også/i);
  });
  test("stripSiteName keeps the page's part of a <title>", () => {
    assert.equal(
      stripSiteName("Udpegninger – KKR Syddanmark – Netværket", "Netværket"),
      "Udpegninger – KKR Syddanmark",
    );
    assert.equal(stripSiteName("Ny formand valgt | Netværket", null), "Ny formand valgt");
    assert.equal(stripSiteName("Ny formand valgt", null), "Ny formand valgt");
  });
  test("a page fragment without <html> is read too", () => {
    const page = readWebPage("<h1>Mødeplan 2025</h1><p>KKR Sjælland mødes fem gange.</p>");
    assert.equal(page.meta.title, "Mødeplan 2025");
    assert.match(page.html, /fem gange/);
  });
});

describe("a calendar page saved as text, with five meetings", () => {
  const doc = parse("moeder-kkr-nordjylland-2025.txt");
  const byDate = new Map(doc.meetings.map((m) => [m.date, m]));
  test("is a meeting calendar with no single meeting date of its own", () => {
    assert.equal(doc.meta.kind, "mødeplan");
    assert.equal(doc.meta.title, "Møder i KKR Nordjylland 2025");
    assert.equal(doc.meta.region, "Nordjylland");
    assert.equal(doc.meta.meetingDate, null);
    assert.equal(doc.meta.place, null);
    assert.equal(doc.meta.publishedDate, "2024-12-12");
  });
  test("each meeting has its own date, time and place", () => {
    assert.deepEqual(
      doc.meetings.map((m) => [m.date, m.body, m.time, m.place]),
      [
        [
          "2025-02-07",
          "KKR Nordjylland",
          "9.00-12.00",
          "Hjørring Rådhus, Springvandspladsen 5, 9800 Hjørring",
        ],
        ["2025-04-04", "KKR Nordjylland", "10.00-13.00", "Virtuelt via Teams"],
        ["2025-06-13", "KKR Nordjylland", "9.30-12.00", "Skagen Havnekontor, Havnevej 8, 9990 Skagen"],
        [
          "2025-09-19",
          "KKR Nordjylland",
          "13.00-16.00",
          "Kongres- og Kulturhuset, Europa Plads 4, 9000 Aalborg",
        ],
        [
          "2026-01-20",
          "KKR Nordjylland",
          "10.00-12.00",
          "Brønderslev Rådhus, Ny Rådhusplads 1, 9700 Brønderslev",
        ],
      ],
    );
  });
  test("each meeting's section holds its own topics and none of the others'", () => {
    const section = (date: string) => {
      const m = byDate.get(date);
      return m ? doc.text.slice(m.start, m.end) : "";
    };
    assert.match(section("2025-04-04"), /Trafikplan for den kollektive bustrafik/);
    assert.doesNotMatch(section("2025-04-04"), /Sundhedsaftalen|Turismestrategi|Hjørring/);
    assert.match(section("2025-09-19"), /^Mødested: Kongres- og Kulturhuset/m);
    assert.match(section("2026-01-20"), /Valg af formand og næstformand/);
    assert.doesNotMatch(section("2026-01-20"), /Sidst opdateret/);
  });
  test("no chunk runs from one meeting into the next", () => {
    for (const c of doc.chunks) {
      const touched = doc.meetings.filter((m) => c.start < m.end && m.start < c.end);
      assert.ok(touched.length <= 1, `chunk ${c.ordinal} spans ${touched.map((m) => m.date).join(", ")}`);
    }
    assertOffsets(doc);
  });
  test("the page chrome is gone", () => {
    assert.doesNotMatch(doc.text, /Spring til|^Søg$|^Menu$|Forside ›|cookies|Del siden|Log ind/m);
  });
});

describe("a calendar page given as an HTML table, beside a menu", () => {
  const doc = parse("moedekalender-kkr-sjaelland.html");
  test("the table is kept, the menus are not; each row is a meeting with its place", () => {
    assert.equal(doc.meta.kind, "mødeplan");
    assert.equal(doc.meta.title, "Mødekalender");
    assert.match(doc.text, /^Tirsdag den 8\. april 2025 \| Virtuelt \| Kollektiv trafik$/m);
    assert.doesNotMatch(doc.text, /Om KKR Sjælland|Gå til indhold|cookies|Vestergade/);
    assert.deepEqual(
      doc.meetings.map((m) => [m.date, m.place]),
      [
        ["2025-02-05", "Sorø Rådhus"],
        ["2025-04-08", "Virtuelt"],
        ["2025-06-18", "Holbæk Rådhus"],
        ["2025-09-02", "Næstved Rådhus"],
        ["2025-10-22", "Køge Rådhus"],
      ],
    );
  });
});

describe("an agenda with a stacked-label header", () => {
  const doc = parse("dagsorden-kkr-syddanmark-2023-03-14.txt");
  test("meeting date, time and place come from the paired labels", () => {
    assert.equal(doc.meta.kind, "dagsorden");
    assert.equal(doc.meta.title, "KKR Syddanmark – dagsorden 14. marts 2023");
    assert.equal(doc.meta.meetingDate, "2023-03-14");
    assert.equal(doc.meta.publishedDate, null);
    assert.equal(doc.meta.place, "Byrådssalen, Rådhuset, Torvet 2, 5700 Svendborg");
    assert.deepEqual(
      doc.meetings.map((m) => [m.date, m.time, m.place]),
      [["2023-03-14", "9.00-12.00", "Byrådssalen, Rådhuset, Torvet 2, 5700 Svendborg"]],
    );
  });
  test("a chunk quotes 'Sted: …' whole, and items are headed by their number and title", () => {
    assert.ok(
      doc.chunks.some((c) => c.text.includes("Sted: Byrådssalen, Rådhuset, Torvet 2, 5700 Svendborg")),
    );
    assert.ok(doc.chunks.some((c) => c.item === "2" && /Praktikpladser/.test(c.section)));
    assertOffsets(doc);
  });
});

describe("a letter-spaced PDF transcript of minutes", () => {
  const pages = [
    [
      "2  R E F E R A T  2 0 2 4  K K R  H O V E D S T A D E N",
      "",
      "Mødedato: 12. marts 2024 kl. 10.00-12.30",
      "Mødested: Gentofte Rådhus, Bernstorffsvej 161, 2920 Charlottenlund",
      "",
      "Deltagere",
      "- Karen Sølvhøj, Gentofte Kommune",
      "- Mads Bruun Lindholm, Frederiksberg Kommune",
      "",
      "1. Godkendelse af dagsorden",
      "Beslutning",
      "Dagsordenen blev godkendt.",
    ].join("\n"),
    [
      "2. Trafikplan for hovedstaden",
      "Beslutning",
      "KKR Hovedstaden tiltrådte trafikplanen med en bemærkning om natbusserne.",
    ].join("\n"),
  ];
  let doc: ParsedDocument;
  test("is read as KKR Hovedstaden's minutes of 12 March 2024", async () => {
    const bytes = await makePdf({ pages, header: "K K R  H O V E D S T A D E N   ·   R E F E R A T" });
    const raw = await extractBytes(bytes, "referat.pdf", { maxFileBytes: 1e8, parseTimeoutMs: 20_000 });
    doc = parseDocument(raw, { source: "referat.pdf", fileName: "referat.pdf" });
    assert.match(doc.text, /^2 REFERAT 2024 KKR HOVEDSTADEN$/m);
    assert.doesNotMatch(doc.text, /K K R|R E F E R A T/);
    assert.equal(doc.meta.kind, "referat");
    assert.equal(doc.meta.region, "Hovedstaden");
    assert.equal(doc.meta.title, "KKR Hovedstaden – referat 12. marts 2024");
    assert.equal(doc.meta.meetingDate, "2024-03-12");
    assert.equal(doc.meta.place, "Gentofte Rådhus, Bernstorffsvej 161, 2920 Charlottenlund");
    assert.deepEqual(
      doc.meetings.map((m) => [m.date, m.body, m.time]),
      [["2024-03-12", "KKR Hovedstaden", "10.00-12.30"]],
    );
  });
  test("pages and offsets stay right", () => {
    assert.equal(doc.pageCount, 2);
    assert.equal(doc.pageOffsets.length, 2);
    assert.ok(doc.text.slice(doc.pageOffsets[1]).startsWith("2. Trafikplan for hovedstaden"));
    assert.equal(doc.chunks.find((c) => c.text.includes("natbusserne"))?.page, 2);
    assertOffsets(doc);
  });
});
