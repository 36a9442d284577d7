import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { matchesLongForm, mineGlossary } from "../../ingest/glossary.js";

const pairs = (text: string) => mineGlossary(text).map((g) => `${g.acronym}=${g.expansion}`);

describe("matchesLongForm", () => {
  test("initials and compound parts, in order", () => {
    assert.ok(matchesLongForm("DEB", ["Danmarks", "Erhvervsfremmebestyrelse"]));
    assert.ok(matchesLongForm("SKU", ["Sundhedskoordinationsudvalget"]));
    assert.ok(matchesLongForm("RAR", ["Regionale", "Arbejdsmarkedsråd"]));
    assert.ok(matchesLongForm("KL", ["Kommunernes", "Landsforening"]));
    assert.ok(matchesLongForm("EU", ["Europæiske", "Union"]));
    assert.ok(matchesLongForm("FGU", ["Forberedende", "Grunduddannelse"]));
  });
  test("filler words may be skipped but every other word must give its initial", () => {
    assert.ok(matchesLongForm("STAR", ["Styrelsen", "for", "Arbejdsmarked", "og", "Rekruttering"]));
    assert.ok(!matchesLongForm("DEB", ["Danmarks", "store", "Erhvervsfremmebestyrelse"]));
    assert.ok(!matchesLongForm("DEB", ["Danmarks", "Erhvervsfremmestyrelse"]), "no b in the long form");
    assert.ok(!matchesLongForm("KKR", ["Referatet", "fra", "mødet", "i"]));
    assert.ok(!matchesLongForm("UAB", ["Bestyrelsen", "Arbejde", "Udvalg"]), "order matters");
  });
});

describe("mineGlossary", () => {
  test("long form followed by the acronym, bare or in parentheses, and the reverse", () => {
    const text = [
      "- Danmarks Erhvervsfremmebestyrelse DEB ved Johannes Jensen, Middelfart",
      "KKR udpeger til Regionale Arbejdsmarkedsråd (RAR) og andre fora.",
      "Sundhedskoordinationsudvalget SKU mødes i morgen.",
      "Vi har talt med STAR (Styrelsen for Arbejdsmarked og Rekruttering) om sagen.",
      "Praksisplanudvalget PPU ved Karsten Meyer Olesen",
    ].join("\n");
    assert.deepEqual(pairs(text).sort(), [
      "DEB=Danmarks Erhvervsfremmebestyrelse",
      "PPU=Praksisplanudvalget",
      "RAR=Regionale Arbejdsmarkedsråd",
      "SKU=Sundhedskoordinationsudvalget",
      "STAR=Styrelsen for Arbejdsmarked og Rekruttering",
    ]);
  });

  test("the shortest matching long form is taken: articles before it are not part of it", () => {
    assert.deepEqual(pairs("Det regionale arbejdsmarkedsråd RAR Fyn ved Søren Andersen"), [
      "RAR=regionale arbejdsmarkedsråd",
    ]);
    assert.deepEqual(pairs("praktikpladser på den pædagogiske assistentuddannelse (PAU) og andet"), [
      "PAU=pædagogiske assistentuddannelse",
    ]);
  });

  test("quote is the exact source line (or sentence) without the bullet", () => {
    const text = "Intro.\n- Danmarks Erhvervsfremmebestyrelse DEB ved Johannes Jensen, Middelfart\nSlut.";
    const [g] = mineGlossary(text);
    assert.ok(g);
    assert.equal(g.quote, "Danmarks Erhvervsfremmebestyrelse DEB ved Johannes Jensen, Middelfart");
    assert.ok(text.includes(g.quote));
    const long = `${"Fyld. ".repeat(100)}Vi samarbejder med Kommunernes Landsforening (KL) om det. ${"Mere. ".repeat(100)}`;
    const [k] = mineGlossary(long);
    assert.equal(k?.quote, "Vi samarbejder med Kommunernes Landsforening (KL) om det.");
  });

  test("rejects junk: acronyms next to unrelated words, the acronym inside its own long form, roman numerals", () => {
    assert.deepEqual(
      pairs(
        [
          "Referatet fra mødet i KKR Syddanmark.",
          "Kontakt KKR-sekretariatet i KKR Sjælland.",
          "Kapitel II (indledning) og DK2020 (klimaplaner).",
          "Odense Robotics og CLEAN er klynger.",
          "KKR HAR I 2016 OGSÅ HAFT FOKUS PÅ:",
        ].join("\n"),
      ),
      [],
    );
  });

  test("duplicates are removed, first occurrence kept", () => {
    const text = "Regionale Arbejdsmarkedsråd (RAR) her.\nOg igen: regionale arbejdsmarkedsråd RAR der.";
    const got = mineGlossary(text);
    assert.equal(got.length, 1);
    assert.equal(got[0]?.expansion, "Regionale Arbejdsmarkedsråd");
  });
});
