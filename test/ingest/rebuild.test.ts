import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { chunkDocument } from "../../ingest/chunk.js";
import { cleanDocument } from "../../ingest/clean.js";
import { joinLetterSpaced, segmentCapitals } from "../../ingest/letter-spacing.js";
import { parseDocument } from "../../ingest/parse-document.js";

const clean = (text: string) => cleanDocument({ format: "text", pages: [text] }).text;
const fixture = (name: string) => readFileSync(new URL(`../fixtures/web/${name}`, import.meta.url), "utf8");

describe("letter-spaced capitals", () => {
  test("are joined into words, split at wide spacing or between known words", () => {
    assert.equal(joinLetterSpaced("K K R  H O V E D S T A D E N"), "KKR HOVEDSTADEN");
    assert.equal(joinLetterSpaced("K K R H O V E D S T A D E N"), "KKR HOVEDSTADEN");
    assert.equal(
      joinLetterSpaced("2 R E F E R A T 2 0 2 1 K K R S J Æ L L A N D"),
      "2 REFERAT 2021 KKR SJÆLLAND",
    );
    assert.equal(joinLetterSpaced("Side 4: D A G S O R D E N"), "Side 4: DAGSORDEN");
    assert.deepEqual(segmentCapitals("NORDJYLLANDSKOMMUNER"), ["NORDJYLLANDS", "KOMMUNER"]);
  });
  test("ordinary text, short runs and digit columns stay as they are", () => {
    for (const s of ["Punkt A og B", "tal 1 2 3 4 5", "E U-kontoret", "KKR Syddanmark holdt møde"]) {
      assert.equal(joinLetterSpaced(s), s);
    }
  });
  test("everywhere in the text, not only in titles", () => {
    const t = clean("Indledning\n\nEt afsnit om noget.\n\nK O M M U N E R N E S   R O L L E\n\nMere tekst.");
    assert.match(t, /^KOMMUNERNES ROLLE$/m);
  });
});

describe("label blocks", () => {
  test("a label with its value on the next line becomes 'Label: value'", () => {
    const t = clean(
      "Møde i udvalget\n\nMødedato\n20-04-2022 kl. 09:00 - 11:00\n\nMødested\nMødelokale 3\n\nDeltagere\n- Anna Holt, Fanø Kommune",
    );
    assert.match(t, /^Mødedato: 20-04-2022 kl\. 09:00 - 11:00$/m);
    assert.match(t, /^Mødested: Mødelokale 3$/m);
    // A heading over a list is not a label with a value.
    assert.match(t, /^Deltagere\n- Anna Holt, Fanø Kommune$/m);
  });
  test("a stacked header (labels first, then values) is paired in order", () => {
    const t = clean(fixture("dagsorden-kkr-syddanmark-2023-03-14.txt"));
    assert.match(t, /^Dato: 14\. marts 2023$/m);
    assert.match(t, /^Tid: kl\. 9\.00-12\.00$/m);
    assert.match(t, /^Sted: Byrådssalen, Rådhuset, Torvet 2, 5700 Svendborg$/m);
  });
  test("an address over several short lines is one value", () => {
    assert.match(
      clean("Sted:\nRådhuset\nTorvet 1\n8000 Aarhus C\n\nDagsorden følger."),
      /^Sted: Rådhuset, Torvet 1, 8000 Aarhus C$/m,
    );
  });
});

describe("tables given one cell per line", () => {
  const t = clean(fixture("flygtninge-kvoter-kkr-sjaelland-2024.txt"));
  test("rows come back from the header's width", () => {
    assert.match(t, /^Kommune \| Kvote 2024 \| Heraf familiesammenførte$/m);
    assert.match(t, /^Faxe \| 36 \| 4$/m);
    assert.match(t, /^Køge \| 52 \| 7$/m);
    assert.match(t, /^I alt \| 148 \| 19$/m);
  });
  test("without a header, from the pattern of a name followed by a number", () => {
    assert.match(t, /^Kalundborg \| 27\nSlagelse \| 63\nSorø \| 22$/m);
  });
  test("a row stays in one chunk with its figures", () => {
    const chunks = chunkDocument(t, { headingHints: [], pageOffsets: [] });
    assert.ok(chunks.some((c) => c.text.includes("Greve | 41 | 6")));
  });
  test("years over the columns are a header; money cells are figures; a source line after the table stays", () => {
    const src = [
      "Tabel 1. Tilskud pr. kommune",
      "",
      "Kommune",
      "2023",
      "2024",
      "Odder",
      "412.000 kr.",
      "436.500 kr.",
      "Skanderborg",
      "1,2 mio. kr.",
      "1,4 mio. kr.",
      "Samsø",
      "58.000 kr.",
      "61.000 kr.",
      "Kilde: Kommunernes indberetninger",
      "Bemærkninger",
    ].join("\n");
    const out = clean(src);
    assert.match(out, /^Kommune \| 2023 \| 2024$/m);
    assert.match(out, /^Skanderborg \| 1,2 mio\. kr\. \| 1,4 mio\. kr\.$/m);
    assert.match(out, /^Samsø \| 58\.000 kr\. \| 61\.000 kr\.$/m);
    assert.match(out, /^Kilde: Kommunernes indberetninger$/m);
  });
  test("short lines without figures are not a table", () => {
    const names = "Medlemmer\n\nAnna Holt\n\nBo Lind\n\nCarl Dam\n\nDitte Vang\n\nEsben Ry\n\nFie Mark";
    assert.equal(clean(names), names);
  });
});

describe("numbered items run together", () => {
  test("an item number alone on its line is paired with its title", () => {
    assert.match(
      clean("1.\nGodkendelse af dagsorden\n\n2.3\nNy trafikplan"),
      /^1\. Godkendelse af dagsorden\n\n2\.3 Ny trafikplan$/,
    );
  });
  test("a transcript's pages lose their page numbers; its one-line contents become entries", () => {
    const transcript = [
      "Transkript",
      "",
      "1 Styregruppen for Erhvervssamarbejdet Fredag 3. marts 2023 kl. 10 Mødelokale 2, Rådhuset, Toldbodgade 1, 9990 Byby",
      "",
      `2 Indholdsfortegnelse 1. Godkendelse af dagsordenen 2. Temadrøftelse om turisme 3. Status på den fælles platform 5. Økonomi 6. Eventuelt ${"og lidt mere tekst ".repeat(8)}`,
      "",
      `3 1. Godkendelse af dagsordenen Sekretariatet indstiller, at styregruppen godkender dagsordenen. ${"Dagsordenen blev godkendt uden bemærkninger. ".repeat(4)}3`,
    ].join("\n");
    const t = clean(transcript);
    assert.doesNotMatch(t, /Transkript/);
    assert.match(
      t,
      /^Indholdsfortegnelse\n- 1\. Godkendelse af dagsordenen\n- 2\. Temadrøftelse om turisme\n/m,
    );
    assert.match(t, /^- 5\. Økonomi$/m);
    // The item heading glued to its text is split where the contents say the title ends.
    assert.match(t, /^1\. Godkendelse af dagsordenen\nSekretariatet indstiller/m);
    assert.doesNotMatch(t, /\s3$/);
  });
  test("a heading glued to its text by a lost line break is split off", () => {
    assert.match(
      clean("Rammeaftale 2023-24Hvert andet år indgår kommunerne en aftale."),
      /^Rammeaftale 2023-24\nHvert andet år/,
    );
    assert.equal(clean("Oplægget i PowerPoint er vedlagt."), "Oplægget i PowerPoint er vedlagt.");
  });
});

describe("web furniture in text saved from a page", () => {
  const doc = parseDocument(
    { format: "text", pages: [fixture("sundhed-kkr-syddanmark-gemt-side.txt")] },
    { source: "s.txt", fileName: "s.txt" },
  );
  test("skip links, menus, breadcrumbs, cookie text, share and log-in lines are gone", () => {
    for (const chrome of [
      /Gå til/,
      /^Menu$/m,
      /^Søg$/m,
      /Forside \//,
      /cookies/,
      /Del artikel/,
      /Log ind/,
      /søger/,
      /^Indhold$/m,
    ]) {
      assert.doesNotMatch(doc.text, chrome);
    }
    assert.match(doc.text, /^Sundhedssamarbejdet i Syddanmark\n\nKommunerne og Region Syddanmark/);
  });
  test("the real heading is the title; the page is dated by its last update", () => {
    assert.equal(doc.meta.title, "Sundhedssamarbejdet i Syddanmark");
    assert.equal(doc.meta.kind, "side");
    assert.equal(doc.meta.region, "Syddanmark");
    assert.equal(doc.meta.publishedDate, "2021-05-03");
    assert.match(doc.text, /^KOMMUNERNES ROLLE$/m);
  });
  test("a content line that happens to say 'Kontakt' mid-page stays", () => {
    const t = clean(
      "Om udvalget\n\nUdvalget mødes fire gange.\n\nKontakt\n\nSekretariatet svarer på spørgsmål.\n\nMere tekst her.",
    );
    assert.match(t, /^Kontakt$/m);
  });
});

describe("text wrapped at a margin", () => {
  test("a sentence wrapped over lines is one line; calendar entries, glossary lines and rows stay apart", () => {
    const src = [
      "Trafikforum Vestsjælland har på sit første møde valgt en ny formand. Ny formand er borgmester",
      "Henrik Sølvhøj Rasmussen (C), Kalundborg Kommune, og næstformand er rådmand Birthe Lykke",
      "Gammelgaard (A), Slagelse Kommune.",
      "",
      "Mandag 3. marts 2025, kl. 14.00-16.00, Regionshuset Aalborg, mødelokale 1, stueetagen",
      "Mandag 16. juni 2025, kl. 14.00-16.00, Regionshuset Aalborg, mødelokale 1, stueetagen",
      "",
      "TVS Trafikforum Vestsjælland og de tilknyttede arbejdsgrupper under forummet",
      "KDF Kommunaldirektørforum for de sjællandske kommuner",
    ].join("\n");
    const out = clean(src);
    assert.match(
      out,
      /Ny formand er borgmester Henrik Sølvhøj Rasmussen \(C\), Kalundborg Kommune, og næstformand er rådmand Birthe Lykke Gammelgaard \(A\), Slagelse Kommune\./,
    );
    assert.match(out, /stueetagen\nMandag 16\. juni 2025/);
    assert.match(out, /under forummet\nKDF Kommunaldirektørforum/);
  });
});
