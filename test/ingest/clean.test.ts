import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cleanDocument, decodeEntities, EMPHASIS_HEADING_LEVEL } from "../../ingest/clean.js";

const text = (format: "pdf" | "text" | "markdown" | "html", ...pages: string[]) =>
  cleanDocument({ format, pages }).text;

/** The heading lines a cleaned document reports, as [level, line text]. */
function headings(format: "markdown" | "html", src: string): [number, string][] {
  const doc = cleanDocument({ format, pages: [src] });
  return doc.headingHints.map((h) => {
    const end = doc.text.indexOf("\n", h.start);
    return [h.level, doc.text.slice(h.start, end < 0 ? undefined : end)];
  });
}

describe("page furniture", () => {
  // Body text differs per page; the header, footer and page numbers repeat.
  const bodies = [
    "1. Godkendelse af dagsorden\n\nDagsordenen blev godkendt uden bemærkninger.",
    "2. Regionalpolitiske sager\n\nKKR drøftede rammeaftalen for 2021.",
    "3. Orientering\n\nSekretariatet orienterede om status på DK2020.",
    "4. Eventuelt\n\nIntet at bemærke under eventuelt.",
  ];
  const pages = bodies.map(
    (b, i) => `KKR Nordjylland | Referat | 3. marts 2021\n\n${b}\n\nSide ${i + 1} af ${bodies.length}`,
  );

  test("running headers and page numbers are removed, every body line is kept", () => {
    const doc = cleanDocument({ format: "pdf", pages });
    assert.doesNotMatch(doc.text, /Referat \| 3\. marts/);
    assert.doesNotMatch(doc.text, /Side \d af/);
    for (const b of bodies) for (const line of b.split("\n")) assert.ok(doc.text.includes(line), line);
  });

  test("pageOffsets point at each page's first kept line", () => {
    const doc = cleanDocument({ format: "pdf", pages });
    assert.equal(doc.pageOffsets.length, pages.length);
    bodies.forEach((b, i) => {
      const at = doc.pageOffsets[i] ?? -1;
      assert.equal(doc.text.slice(at, at + 10), b.slice(0, 10));
    });
  });

  test("bare, dashed and slashed page numbers at page edges go; numbers in the body stay", () => {
    const styles = (n: number) => [`${n}`, `- ${n} -`, `${n}/3`][n - 1] ?? "";
    const doc = cleanDocument({
      format: "pdf",
      pages: [1, 2, 3].map(
        (n) =>
          `${["Indledning", "Økonomi", "Proces"][n - 1]}\n\nDer var ${n * 17} deltagere.\n\n${styles(n)}`,
      ),
    });
    assert.doesNotMatch(doc.text, /^(?:1|- 2 -|3\/3)$/m);
    for (const n of [17, 34, 51]) assert.match(doc.text, new RegExp(`^Der var ${n} deltagere\\.$`, "m"));
  });

  test("lines that differ only in an unrelated number are body text, not furniture", () => {
    const doc = cleanDocument({
      format: "pdf",
      pages: [3, 8, 12].map((n) => `Status\n\nDer er ${n} ledige pladser.\n\nBilag ${n * 2} vedlagt.`),
    });
    for (const n of [3, 8, 12]) assert.match(doc.text, new RegExp(`Der er ${n} ledige pladser`));
  });

  test("a footer whose page number changes is still furniture (digits are ignored)", () => {
    const doc = cleanDocument({
      format: "pdf",
      pages: ["A", "B", "C"].map((x, i) => `Tekst ${x} her.\n\nKL · Weidekampsgade 10 · side ${i + 1}`),
    });
    assert.equal(doc.text, "Tekst A her.\n\nTekst B her.\n\nTekst C her.");
  });

  test("form feeds split plain text into pages for furniture removal, without page offsets", () => {
    const doc = cleanDocument({ format: "text", pages: ["Hoved\nEt\fHoved\nTo\fHoved\nTre"] });
    assert.equal(doc.text, "Et\n\nTo\n\nTre");
    assert.deepEqual(doc.pageOffsets, []);
  });

  test("single-page documents keep repeated lines", () => {
    assert.equal(
      text("text", "Indstilling\n\nA.\n\nIndstilling\n\nB."),
      "Indstilling\n\nA.\n\nIndstilling\n\nB.",
    );
  });
});

describe("hyphenation and whitespace", () => {
  test("joins words split across line ends but keeps real hyphens", () => {
    const t = text(
      "text",
      "Det drøftes af kommu-\nnerne i dag. Vi bruger DK2020-\nmetoden. Det gælder social-\nog sundhedsområdet og EU-\nkontoret i 2021-\n2022.",
    );
    assert.match(t, /kommunerne/);
    assert.match(t, /DK2020-metoden/);
    assert.match(t, /social- og sundhedsområdet/);
    assert.match(t, /EU-kontoret/);
    assert.match(t, /2021-2022/);
    assert.doesNotMatch(t, /kommu-/);
  });

  test("a hyphenated word across a page break is joined", () => {
    const doc = cleanDocument({ format: "pdf", pages: ["Første side om kommu-", "nernes økonomi."] });
    assert.match(doc.text, /kommunernes økonomi/);
  });

  test("collapses runs of spaces and blank lines, keeps paragraph breaks, NFC", () => {
    const t = text(
      "text",
      "  To   ord\u00a0her \n\n\n\n\nNy  paragraf\u00ad.\nSamme paragraf.\n\n\nSidste: A\u030a",
    );
    assert.equal(t, "To ord her\n\nNy paragraf.\nSamme paragraf.\n\nSidste: Å");
    assert.equal(t, t.normalize("NFC"));
  });

  test("a paragraph split by a blank line mid-sentence is rejoined", () => {
    const t = text(
      "text",
      "Endelig blev det på mødet i september\n\nbesluttet at afsætte midler.\n\nNy paragraf.",
    );
    assert.equal(t, "Endelig blev det på mødet i september\nbesluttet at afsætte midler.\n\nNy paragraf.");
  });

  test("tabs become readable cell separators", () => {
    assert.equal(
      text("text", "Assens\tSyddanmark\tModtaget\nBillund\tSyddanmark\t"),
      "Assens | Syddanmark | Modtaget\nBillund | Syddanmark",
    );
  });

  test("bilag markers ./. and ./.. are removed", () => {
    assert.equal(
      text("text", "./.\nTemadag om EU\n\n./.. Se bilag for detaljer."),
      "Temadag om EU\n\nSe bilag for detaljer.",
    );
  });
});

describe("bullets", () => {
  test("all bullet styles become '- ' and stay on their own lines", () => {
    const t = text("text", "Fokus på:\n• Et\n\u25aa To\n– Tre\n* Fire\n\uf0b7 Fem\n  1. Seks\n2) Syv");
    assert.equal(t, "Fokus på:\n- Et\n- To\n- Tre\n- Fire\n- Fem\n1. Seks\n2) Syv");
  });
  test("a bullet alone on a line is joined with its text", () => {
    assert.equal(
      text("text", "Punkter:\n•\nFørste punkt\n•\nAndet punkt"),
      "Punkter:\n- Første punkt\n- Andet punkt",
    );
  });
  test("a minus sign before a number is not a bullet", () => {
    assert.equal(text("text", "-5 grader"), "-5 grader");
  });
});

describe("table of contents", () => {
  const toc = [
    "1.\tGodkendelse af referat .....\t3",
    "1.1.\tGodkendelse af referat fra mødet .....\t3",
    "2.\tRegionalpolitiske sager.....\t4",
    "2.1.\tRammeaftalen 2021-2022 . . . . . . 4",
  ].join("\n");

  test("dot leaders and page numbers are dropped and entries become list items under 'Indhold'", () => {
    const t = text("text", `${toc}\n\n1. Godkendelse af referat\n\nTekst.`);
    assert.doesNotMatch(t, /\.{3}|\. \. \./);
    assert.match(t, /^Indhold\n\n- 1\. Godkendelse af referat\n- 1\.1\. Godkendelse af referat fra mødet\n/);
    assert.match(t, /- 2\.1\. Rammeaftalen 2021-2022\n/, "a year before the leader is kept");
    // The real heading is the only line starting with "1. "
    assert.equal(t.match(/^1\. Godkendelse/gm)?.length, 1);
  });

  test("an existing TOC title is kept and marked as a heading", () => {
    const doc = cleanDocument({ format: "text", pages: [`Indholdsfortegnelse\n${toc}`] });
    assert.equal(doc.text.match(/Indhold/g)?.length, 1);
    assert.deepEqual(doc.headingHints, [{ start: 0, level: 1 }]);
  });
});

describe("markdown", () => {
  test("headings lose their markers and are reported with level and offset", () => {
    const src =
      "# KKR SYDDANMARK\n\n## 2. Sager\n\n### **2.3. DK2020**\n\nTekst med **fed** og *kursiv* og _under_.\n\nTitel\n=====\n";
    assert.deepEqual(headings("markdown", src), [
      [1, "KKR SYDDANMARK"],
      [2, "2. Sager"],
      [3, "2.3. DK2020"],
      [1, "Titel"],
    ]);
    assert.match(text("markdown", src), /^Tekst med fed og kursiv og under\.$/m);
  });

  test("links, autolinks, images, stray tags and escapes", () => {
    const t = text(
      "markdown",
      "Se [referatet](https://kl.dk/a_(b)) og <https://www.kl.dk/politik/kkr/>.\n<b>1.</b> <i>Punkt</i> ![logo](x.png) 5 \\* 3 snake_case_navn",
    );
    assert.equal(t, "Se referatet og https://www.kl.dk/politik/kkr/.\n1. Punkt logo 5 * 3 snake_case_navn");
  });

  test("a wholly bold or italic line is a heading hint; a bold label with a value is not", () => {
    const src =
      "**Baggrund**\n\nTekst.\n\n*EU-temadag den 24. november 2020*\n\n**Dato:** 11-11-2020\n\n*Meddelelser fra KKR:*\n- a";
    assert.deepEqual(headings("markdown", src), [
      [EMPHASIS_HEADING_LEVEL, "Baggrund"],
      [EMPHASIS_HEADING_LEVEL, "EU-temadag den 24. november 2020"],
    ]);
    assert.match(text("markdown", src), /^Dato: 11-11-2020$/m);
  });

  test("markdown lists and tables", () => {
    assert.equal(text("markdown", "* en\n+ to\n- tre"), "- en\n- to\n- tre");
    assert.equal(
      text("markdown", "| By | Region |\n|---|:---:|\n| Odense | Syddanmark |"),
      "By | Region\nOdense | Syddanmark",
    );
  });

  test("fenced code is kept verbatim without fences", () => {
    assert.equal(text("markdown", "```\n**ikke fed**\n```"), "**ikke fed**");
  });
});

describe("html", () => {
  const html = `<!DOCTYPE html><html><head><title>T</title><style>p { color: red }</style></head><body>
    <nav><a href="/">Forside</a> | <a href="/kkr">KKR</a></nav>
    <h1>KKR Sj&aelig;lland &ndash; nyhedsbrev</h1>
    <p>M&oslash;det blev   holdt p&aring;
       R&aring;dhuset&nbsp;den 3. marts 2021 &amp; &#230;&#xF8;&#229;.</p>
    <script>document.write("<p>skjult</p>")</script>
    <h2>Punkter</h2><ul><li>Første</li><li>Anden <b>fed</b></li></ul>
    <ol><li>Et</li><li>To</li></ol>
    <table><tr><th>By</th><th>Region</th></tr><tr><td>Odense</td><td>Syddanmark</td></tr></table>
    <p>Linje<br>brud</p></body></html>`;

  test("drops head, nav, scripts and styles; decodes entities; block tags become lines", () => {
    const t = text("html", html);
    assert.equal(
      t,
      [
        "KKR Sjælland – nyhedsbrev",
        "",
        "Mødet blev holdt på Rådhuset den 3. marts 2021 & æøå.",
        "",
        "Punkter",
        "",
        "- Første",
        "- Anden fed",
        "",
        "1. Et",
        "2. To",
        "",
        "By | Region",
        "Odense | Syddanmark",
        "",
        "Linje",
        "brud",
      ].join("\n"),
    );
  });

  test("h1–h6 are reported as heading hints", () => {
    assert.deepEqual(headings("html", html), [
      [1, "KKR Sjælland – nyhedsbrev"],
      [2, "Punkter"],
    ]);
  });

  test("decodeEntities handles named, decimal, hex and unknown references", () => {
    assert.equal(
      decodeEntities("&AElig;&Oslash;&Aring; &#8211; &#x2014; &bogus; &#0;"),
      "ÆØÅ – — &bogus; \ufffd",
    );
  });
});

describe("robustness", () => {
  test("a 5 MB single line is cleaned in linear time", () => {
    const big = "ord ".repeat(1_300_000);
    const t0 = performance.now();
    const doc = cleanDocument({ format: "text", pages: [big] });
    assert.equal(doc.text.length, big.length - 1);
    assert.ok(performance.now() - t0 < 5000);
  });
  test("empty input gives empty text", () => {
    assert.deepEqual(cleanDocument({ format: "pdf", pages: ["", ""] }), {
      text: "",
      pageOffsets: [0, 0],
      headingHints: [],
      webMeta: null,
    });
    assert.equal(text("markdown", ""), "");
  });
});
