import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  detectDocumentRegion,
  detectKind,
  detectMeetingDate,
  detectPlace,
  detectPublishedDate,
  extractMetadata,
} from "../../ingest/metadata.js";
import { detectRegions, parseRegion, regionSlug } from "../../src/text/regions.js";

const regionsIn = (text: string) => detectRegions(text).map((m) => `${m.region}/${m.form}`);

describe("detectRegions", () => {
  test("KKR and Region prefixes, plain names, genitives", () => {
    assert.deepEqual(
      regionsIn("KKR Syddanmark og Region Sjælland, Nordjyllands kommuner, KKR Midtjyllands formand"),
      ["Syddanmark/kkr", "Sjælland/region", "Nordjylland/name", "Midtjylland/kkr"],
    );
  });
  test("adjectives", () => {
    assert.deepEqual(
      detectRegions("de syddanske, sjællandske, nordjyske og midtjyske kommuner samt hovedstadens").map(
        (m) => m.region,
      ),
      ["Syddanmark", "Sjælland", "Nordjylland", "Midtjylland", "Hovedstaden"],
    );
    assert.ok(detectRegions("Syddansk EU-kontor").every((m) => m.form === "adjective"));
  });
  test("ASCII spellings and English names", () => {
    assert.deepEqual(
      detectRegions(
        "KKR Sjaelland, Sjalland, Southern Denmark, Region Zealand, North Denmark Region, Central Denmark, Capital Region, Hovedstadsregionen",
      ).map((m) => m.region),
      [
        "Sjælland",
        "Sjælland",
        "Syddanmark",
        "Sjælland",
        "Nordjylland",
        "Midtjylland",
        "Hovedstaden",
        "Hovedstaden",
      ],
    );
  });
  test("Erhvervshus Sjælland names the region; New Zealand and FynBus do not", () => {
    assert.deepEqual(regionsIn("Erhvervshus Sjælland"), ["Sjælland/name"]);
    assert.deepEqual(regionsIn("New Zealand og Trafikselskabet FynBus"), []);
  });
  test("sub-areas map to their region but are marked weak; Nordsjælland is Hovedstaden", () => {
    assert.deepEqual(regionsIn("Erhvervshus Fyn, RAR Sydjylland, Nordsjælland"), [
      "Syddanmark/subarea",
      "Syddanmark/subarea",
      "Hovedstaden/subarea",
    ]);
  });
  test("offsets point at the mention", () => {
    const text = "Mødet i KKR Nordjylland blev holdt.";
    const [m] = detectRegions(text);
    assert.equal(text.slice(m?.index, (m?.index ?? 0) + (m?.length ?? 0)), "KKR Nordjylland");
  });
  test("slugs and parsing user input", () => {
    assert.equal(regionSlug("Sjælland"), "sjaelland");
    assert.equal(regionSlug("all"), "all");
    assert.equal(parseRegion("sjaelland"), "Sjælland");
    assert.equal(parseRegion("KKR Syddanmark"), "Syddanmark");
    assert.equal(parseRegion("alle"), "all");
    assert.equal(parseRegion("Syddanmark og Sjælland"), null);
    assert.equal(parseRegion("Paris"), null);
  });
});

describe("region of a document", () => {
  test("the most mentioned KKR wins, with the masthead weighted", () => {
    const text = `KKR Nordjylland\n\nReferat\n\n${"Kommunerne drøftede sagen. ".repeat(40)}Region Midtjylland var inviteret.`;
    assert.equal(detectDocumentRegion(text), "Nordjylland");
  });
  test("'de fem KKR' or many regions at once mean all", () => {
    assert.equal(
      detectDocumentRegion("De fem KKR har i 2016 arbejdet med rammeaftaler. De fem KKR mødes."),
      "all",
    );
    const all = ["Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"]
      .map((r) => `KKR ${r} har haft møde. KKR ${r} drøftede sagen.`)
      .join("\n");
    assert.equal(detectDocumentRegion(all), "all");
  });
  test("the file name breaks a tie but is not needed", () => {
    assert.equal(
      detectDocumentRegion("Region Sjælland og Region Syddanmark", "kkr-syddanmark-x.txt"),
      "Syddanmark",
    );
    assert.equal(detectDocumentRegion("Ingen steder nævnt."), null);
  });
});

describe("kind", () => {
  test("agenda: title, Dato/Sted masthead and Indstilling headings", () => {
    const text =
      "Dagsorden\n\nDato: 11-11-2020\nSted: Teams\n\n1. Godkendelse af referat\n\nIndstilling\n\nDet indstilles, at …";
    assert.equal(detectKind(text), "dagsorden");
  });
  test("minutes: Referat title or Beslutning sections, even though agendas mention 'referat'", () => {
    assert.equal(
      detectKind("Referat\n\nDato: 3. marts 2021\nSted: Vejle\n\n1. Sag\n\nBeslutning\n\nGodkendt."),
      "referat",
    );
    const agenda =
      "Dagsorden KKR\n\n1.1. Godkendelse af referat fra mødet\n\nIndstilling\n\nDet indstilles, at referatet godkendes.";
    assert.equal(detectKind(agenda), "dagsorden");
    const minutesWithoutTitle =
      "1. Sag\n\nIndstilling\n\nDet indstilles.\n\nBeslutning\n\nGodkendt.\n\n2. Sag\n\nBeslutning\n\nTaget til efterretning.";
    assert.equal(detectKind(minutesWithoutTitle), "referat");
  });
  test("newsletter, folder, annual report, page", () => {
    assert.equal(
      detectKind("14. september 2020\n\nNyhedsbrev september 2020\n\nKKR holdt møde."),
      "nyhedsbrev",
    );
    assert.equal(detectKind("MARTS 2022\n\nFOLDER OM KKR NORDJYLLAND\n\nVelkommen."), "folder");
    assert.equal(
      detectKind("Indhold\n\n2018 har været et år med travlhed i KKR.\n\nOm beretningen"),
      "beretning",
    );
    assert.equal(detectKind("Et notat om trafik."), "side");
  });
});

describe("dates and place", () => {
  test("meeting date from the Dato field, else from 'holdt møde den'", () => {
    assert.equal(
      detectMeetingDate("Dagsorden\nDato: 05-02-2021 kl. 9\nSted: Odense", "dagsorden"),
      "2021-02-05",
    );
    assert.equal(
      detectMeetingDate(
        "KKR Midtjylland afholdt møde den 3. marts 2021. Næste møde den 1. juni 2021.",
        "nyhedsbrev",
      ),
      "2021-03-03",
    );
  });
  test("mentions of other meetings are not the meeting date", () => {
    const text =
      "Dagsorden\n\n1.1. Godkendelse af referat fra mødet den 8. september 2020\n\nNæste møde den 5. februar 2021.";
    assert.equal(detectMeetingDate(text, "dagsorden"), null);
  });
  test("a dated title line gives agendas and minutes their date", () => {
    assert.equal(
      detectMeetingDate("Referat fra møde i KKR Nordjylland den 3. marts 2021\n\nTekst.", "referat"),
      "2021-03-03",
    );
  });
  test("published date: a date line at the top, a dated title, a report's year", () => {
    assert.equal(detectPublishedDate("14. september 2020\n\nNyhedsbrev", "nyhedsbrev"), "2020-09-14");
    assert.equal(detectPublishedDate("KL\nMARTS 2022\n\nFOLDER OM KKR", "folder"), "2022-03");
    assert.equal(
      detectPublishedDate("Nyhedsbrev juni 2021\n\nKKR holdt møde den 2. juni 2021.", "nyhedsbrev"),
      "2021-06",
    );
    assert.equal(
      detectPublishedDate("Indhold\n\n2016 har været et år med konsolidering.", "beretning"),
      "2016",
    );
    assert.equal(detectPublishedDate("Dagsorden\nDato: 11-11-2020", "dagsorden"), null);
  });
  test("place from the Sted field", () => {
    assert.equal(detectPlace("Dato: 11-11-2020\nSted: Virtuelt via Teams\n"), "Virtuelt via Teams");
    assert.equal(detectPlace("Ingen sted her."), null);
  });
});

describe("extractMetadata", () => {
  const agenda =
    "DAGSORDEN\n\nKKR NORDJYLLAND\n\nDato: 03-03-2021 10:00\n\nSted: Aalborg Rådhus\n\n1. Godkendelse af referat\n\nIndstilling\n\nDet indstilles, at KKR Nordjylland godkender referatet.";

  test("composes a human title from region, kind and date", () => {
    const { meta } = extractMetadata(agenda, { fileName: "x.pdf", headingHints: [] });
    assert.deepEqual(meta, {
      title: "KKR Nordjylland – dagsorden 3. marts 2021",
      region: "Nordjylland",
      kind: "dagsorden",
      meetingDate: "2021-03-03",
      publishedDate: null,
      place: "Aalborg Rådhus",
      url: null,
    });
  });

  test("sidecar fields override what was read, and the title follows them", () => {
    const { meta } = extractMetadata(agenda, {
      fileName: "x.pdf",
      headingHints: [],
      sidecar: { kind: "referat", url: "https://kl.dk/x", place: null },
    });
    assert.equal(meta.kind, "referat");
    assert.equal(meta.url, "https://kl.dk/x");
    assert.equal(meta.place, null);
    assert.equal(meta.title, "KKR Nordjylland – referat 3. marts 2021");
    assert.equal(
      extractMetadata(agenda, { fileName: "x", headingHints: [], sidecar: { title: "Egen titel" } }).meta
        .title,
      "Egen titel",
    );
  });

  test("pages keep their own first heading as title", () => {
    const text = "Notat om busdrift\n\nKKR Syddanmark har bedt om et notat.";
    const { meta } = extractMetadata(text, { fileName: "notat.txt", headingHints: [{ start: 0, level: 1 }] });
    assert.equal(meta.kind, "side");
    assert.equal(meta.title, "Notat om busdrift");
  });
});
