import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runIngest } from "../../ingest/pipeline.js";
import { HashEmbedder } from "../../src/embed/hash-embedder.js";
import { Kkr } from "../../src/kkr.js";
import { KkrStore } from "../../src/store/store.js";
import { tempDir, testConfig } from "../helpers/index-fixture.js";
import { makePdf } from "../helpers/make-pdf.js";

/** A generated multi-page PDF agenda, ingested and asked about: pages come through to citations. */
describe("PDF from folder to cited answer", () => {
  const docs = tempDir();
  const db = tempDir();
  let kkr: Kkr;
  before(async () => {
    const pdf = await makePdf({
      pages: [
        "DAGSORDEN\nKKR Nordjylland\nDato: 3. marts 2022\nSted: Aalborg Rådhus\n\n1. Godkendelse af dagsorden\nDet indstilles, at KKR Nordjylland godkender dagsordenen.",
        "2. Klima og miljø\n2.1 DK2020 i Nordjylland\nAlle 11 nordjyske kommuner deltager i DK2020. Klimasekretariatet ledes af Hanne Østergaard, Hjørring Kommune.",
        "3. Udpegninger\n3.1 Udpegning til Erhvervshus Nordjylland\nKKR Nordjylland udpeger Søren Bøgh Mikkelsen, Rebild, til bestyrelsen for Erhvervshus Nordjylland.",
      ],
      header: "KKR Nordjylland · Dagsorden 3. marts 2022",
    });
    writeFileSync(join(docs.path, "nordjylland-dagsorden-2022-03-03.pdf"), pdf);
    // the url answers link to comes from the folder's sources.csv
    writeFileSync(
      join(docs.path, "sources.csv"),
      "file,url\nnordjylland-dagsorden-2022-03-03.pdf,https://www.kl.dk/kkr-nordjylland/dagsorden-2022-03-03.pdf\n",
    );
    const store = await KkrStore.open(db.path, { create: true });
    const summary = await runIngest(store, new HashEmbedder(), {
      dir: docs.path,
      maxFileBytes: 1e8,
      parseTimeoutMs: 20_000,
    });
    assert.equal(summary.added.length, 1, JSON.stringify(summary.skipped));
    store.close();
    kkr = await Kkr.open(testConfig(db.path), { llmAnswerer: null, rewriter: null });
  });
  after(async () => {
    await kkr.close();
    docs.cleanup();
    db.cleanup();
  });

  test("metadata is read from the PDF's text", async () => {
    const [doc] = await kkr.store.listDocuments();
    assert.equal(doc?.region, "Nordjylland");
    assert.equal(doc?.kind, "dagsorden");
    assert.equal(doc?.meetingDate, "2022-03-03");
    assert.equal(doc?.pageCount, 3);
  });

  test("an answer on page 3 cites page 3, without the running header in the quote", async () => {
    const r = await kkr.ask("Hvem udpeger KKR Nordjylland til Erhvervshus Nordjylland?");
    assert.equal(r.abstained, false, r.answer);
    assert.match(r.answer, /Søren Bøgh Mikkelsen/);
    const c = r.citations[0]!;
    assert.equal(c.page, 3);
    assert.equal(c.url, "https://www.kl.dk/kkr-nordjylland/dagsorden-2022-03-03.pdf");
    assert.equal(c.item, "3.1");
    assert.doesNotMatch(c.quote, /Dagsorden 3\. marts 2022|Side \d+ af/);
  });

  test("a page-2 fact cites page 2", async () => {
    const r = await kkr.ask("Who leads the climate secretariat in Nordjylland?");
    assert.equal(r.abstained, false, r.answer);
    assert.match(r.answer, /Hanne Østergaard/);
    assert.equal(r.citations[0]?.page, 2);
  });
});
