import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { SECTION_SEPARATOR } from "../../ingest/chunk.js";
import { parseDocument } from "../../ingest/parse-document.js";
import type { ParsedDocument } from "../../src/types.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const corpus = join(root, "..", "shared", "corpus");

function parse(file: string): ParsedDocument {
  const format = file.endsWith(".md") ? "markdown" : file.endsWith(".html") ? "html" : "text";
  const text = readFileSync(join(corpus, file), "utf8").replace(/\r\n?/g, "\n").normalize("NFC");
  return parseDocument({ format, pages: [text] }, { source: file, fileName: file });
}

const FILES = {
  sjNews: "kkr-sjaelland-nyhedsbrev-2020-09.txt",
  sdNews: "kkr-syddanmark-nyhedsbrev-2020-09.txt",
  agenda: "kkr-syddanmark-dagsorden-2020-11-11.md",
  folder: "kkr-sjaelland-folder-2022-03.txt",
  report: "kkr-beretning-2016.txt",
} as const;

const docs = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, parse(f)])) as Record<
  keyof typeof FILES,
  ParsedDocument
>;

describe("corpus metadata", () => {
  const expected: [keyof typeof FILES, Partial<ParsedDocument["meta"]>][] = [
    [
      "sjNews",
      { region: "Sjælland", kind: "nyhedsbrev", meetingDate: "2020-09-07", publishedDate: "2020-09-14" },
    ],
    [
      "sdNews",
      { region: "Syddanmark", kind: "nyhedsbrev", meetingDate: "2020-09-08", publishedDate: "2020-09-14" },
    ],
    [
      "agenda",
      { region: "Syddanmark", kind: "dagsorden", meetingDate: "2020-11-11", place: "Virtuelt via Teams" },
    ],
    ["folder", { region: "Sjælland", kind: "folder", publishedDate: "2022-03" }],
    ["report", { region: "all", kind: "beretning", publishedDate: "2016" }],
  ];
  for (const [key, want] of expected) {
    test(FILES[key], () => {
      const meta = docs[key].meta;
      for (const [field, value] of Object.entries(want)) {
        assert.equal(meta[field as keyof typeof meta], value, field);
      }
      assert.ok(meta.title.length > 5 && meta.title.length <= 150, meta.title);
      assert.equal(meta.url, null);
    });
  }
  test("titles are human-readable and carry region and date", () => {
    assert.equal(docs.agenda.meta.title, "KKR Syddanmark – dagsorden 11. november 2020");
    assert.match(docs.folder.meta.title, /Sjælland.*marts 2022/);
  });
  test("text formats have no pages", () => {
    for (const d of Object.values(docs)) {
      assert.equal(d.pageCount, null);
      assert.deepEqual(d.pageOffsets, []);
      assert.ok(d.chunks.every((c) => c.page === null));
    }
  });
});

describe("corpus cleaning", () => {
  test("markup, dot leaders and bilag markers are gone; Danish letters intact", () => {
    const t = docs.agenda.text;
    assert.doesNotMatch(t, /<\/?b>|\*\*|^#+ |\.{4,}|\.\/\./m);
    assert.match(t, /Fælles pejlemærker om fremtidens sundhedsvæsen/);
    assert.match(
      t,
      /https:\/\/www\.kl\.dk\/politik\/kkr\/kkr-syddanmark\/moededatoer-dagsordener-og-referater\//,
    );
    assert.match(t, /^Esbjerg \| Syddanmark \| Modtaget$/m, "table rows stay readable");
  });
  test("a paragraph split by the converter is rejoined", () => {
    assert.match(docs.agenda.text, /Endelig blev det\nbesluttet at afsætte/);
  });
});

describe("agenda chunks", () => {
  const chunks = docs.agenda.chunks;
  const text = docs.agenda.text;

  test("every chunk is an exact slice of the cleaned text", () => {
    for (const c of chunks) assert.equal(c.text, text.slice(c.start, c.end));
  });

  test("section paths follow the agenda numbering", () => {
    const dk = chunks.filter((c) => c.section.includes("2.3 DK2020 og regional organisering"));
    assert.ok(dk.length > 0);
    for (const c of dk) {
      assert.ok(
        c.section.startsWith(
          `2. Regionalpolitiske sager${SECTION_SEPARATOR}2.3 DK2020 og regional organisering`,
        ),
        c.section,
      );
      assert.equal(c.item, "2.3");
    }
    assert.ok(
      chunks.some(
        (c) =>
          c.section === `2. Regionalpolitiske sager${SECTION_SEPARATOR}2.3 DK2020 og regional organisering`,
      ),
    );
    assert.ok(
      chunks.some((c) =>
        c.section.includes(`2.1 Indsatsområder i Rammeaftalen 2021-2022${SECTION_SEPARATOR}Sagsfremstilling`),
      ),
    );
  });

  test("items 1.1 … 5.1 appear in order, each under its parent", () => {
    const items = chunks.map((c) => c.item).filter((i): i is string => i !== null);
    const order = [...new Set(items)];
    assert.deepEqual(order, ["1.1", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "4.1", "5.1"]);
    for (const c of chunks) {
      if (c.item === null) continue;
      const parent = c.item.split(".")[0];
      assert.ok(c.section.startsWith(`${parent}. `), `${c.item} under ${c.section}`);
    }
  });

  test("the table of contents is one list chunk, not headings", () => {
    const toc = chunks.filter((c) => c.text.includes("- 2.3. DK2020 og regional organisering"));
    assert.equal(toc.length, 1);
    assert.equal(toc[0]?.item, null);
    assert.equal(toc[0]?.section, "Indhold");
  });

  test("the 'Meddelelser fra KKR-udpegede' list stays with its intro line", () => {
    const c = chunks.find((x) => x.text.includes("Meddelelser fra KKR-udpegede i regionale fora:"));
    assert.ok(c);
    assert.match(
      c.text,
      /Meddelelser fra KKR-udpegede i regionale fora:\n\n- Sundhedskoordinationsudvalget SKU/,
    );
    assert.match(c.text, /- Trafikselskabet Sydtrafik ved Erik Lauritzen, Sønderborg\.$/m);
    assert.equal(c.item, "3.1");
  });

  test("the DEB line is intact in one chunk", () => {
    assert.ok(
      chunks.some((c) =>
        c.text.includes("Danmarks Erhvervsfremmebestyrelse DEB ved Johannes Lundsryd Jensen, Middelfart"),
      ),
    );
  });

  test("chunk sizes suit retrieval", () => {
    for (const c of chunks) assert.ok(c.text.length <= 1200, `${c.text.length}`);
    const big = chunks.filter((c) => c.text.length >= 300).length;
    assert.ok(big / chunks.length > 0.6, "most chunks are substantial");
  });
});

describe("other documents' chunks", () => {
  test("newsletter headlines without markup become sections", () => {
    const sections = new Set(docs.sjNews.chunks.map((c) => c.section));
    assert.ok(
      sections.has("DK2020: Oplæg til fælles geografisk organisering for KKR Sjælland og Region Sjælland"),
    );
    assert.ok(sections.has("Rammeaftale for det specialiserede social- og undervisningsområde 2021 og 2022"));
    const sd = new Set(docs.sdNews.chunks.map((c) => c.section));
    assert.ok(sd.has("DK2020 – Syddansk samarbejdsaftale"));
  });
  test("the newsletter's numbered list is not mistaken for agenda items", () => {
    assert.ok(docs.sdNews.chunks.every((c) => c.item === null));
    const c = docs.sdNews.chunks.find((x) => x.text.includes("1. Tværsektoriel kobling"));
    assert.match(c?.text ?? "", /følgende tre temaer dermed valgt:\n\n1\. Tværsektoriel/);
  });
  test("the folder's '0N / TITLE' sections and their numbered sub-sections", () => {
    const sections = docs.folder.chunks.map((c) => c.section);
    assert.ok(sections.includes("03 / KKR SJÆLLANDS FAGOMRÅDER › 6. Klima og miljø"));
    assert.ok(sections.includes("06 / KKR I REGIONALE FORA"));
    const rar = docs.folder.chunks.find((c) => c.text.includes("Regionale Arbejdsmarkedsråd (RAR)"));
    assert.match(rar?.text ?? "", /KKR udpeger bl\.a\. til:\n\n- Erhvervshusenes bestyrelser/);
  });
  test("all documents keep the exact-slice invariant", () => {
    for (const d of Object.values(docs))
      for (const c of d.chunks) assert.equal(c.text, d.text.slice(c.start, c.end));
  });
});

describe("corpus glossary", () => {
  const glossary = Object.values(docs).flatMap((d) => d.glossary.map((g) => ({ ...g, text: d.text })));
  const find = (acronym: string) => glossary.filter((g) => g.acronym === acronym);

  test("DEB, SKU, PPU and RAR are defined", () => {
    assert.ok(find("DEB").some((g) => g.expansion === "Danmarks Erhvervsfremmebestyrelse"));
    assert.ok(find("SKU").some((g) => g.expansion === "Sundhedskoordinationsudvalget"));
    assert.ok(find("PPU").some((g) => g.expansion === "Praksisplanudvalget"));
    assert.ok(find("RAR").some((g) => g.expansion.toLowerCase() === "regionale arbejdsmarkedsråd"));
  });
  test("quotes are exact substrings of the cleaned text", () => {
    for (const g of glossary) assert.ok(g.text.includes(g.quote), g.quote);
  });
  test("no junk: every expansion starts with the acronym's first letter and has no capitals-only words", () => {
    for (const g of glossary) {
      assert.equal(g.expansion.charAt(0).toLowerCase(), g.acronym.charAt(0).toLowerCase());
      assert.ok(!/\b[A-ZÆØÅ]{2,}\b/.test(g.expansion), g.expansion);
    }
  });
});
