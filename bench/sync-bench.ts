// `node --import tsx bench/sync-bench.ts [MEETINGS]`: the web sync against a local site of
// MEETINGS meetings (agenda + appendix PDFs each, 20 meetings per listing page): the first
// sync (crawl, download, ingest), a re-sync with nothing changed (conditional requests
// only), and one with a single changed PDF. No delay between requests, so the figures are
// the sync's own cost; with KKR_SYNC_DELAY_MS the politeness pause adds per request.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config.js";
import { HashEmbedder } from "../src/embed/hash-embedder.js";
import { KkrStore } from "../src/store/store.js";
import { toJson } from "../src/sync/report.js";
import { runSyncJob } from "../src/sync/sync-job.js";
import { DA_MONTHS } from "../src/text/dates.js";
import { FixtureSite } from "../test/helpers/fixture-site.js";
import { makePdf } from "../test/helpers/make-pdf.js";

const MEETINGS = Number(process.argv[2] ?? 200);
const PER_PAGE = 20;

const site = await FixtureSite.start();
const tmp = mkdtempSync(join(tmpdir(), "kkr-sync-bench-"));
try {
  site.setFile("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain");
  const pages = Math.ceil(MEETINGS / PER_PAGE);
  for (let p = 0; p < pages; p++) {
    const sections: string[] = [];
    for (let m = p * PER_PAGE; m < Math.min(MEETINGS, (p + 1) * PER_PAGE); m++) {
      const day = (m % 28) + 1;
      const month = DA_MONTHS[m % 12]!;
      const year = 2000 + Math.floor(m / 12);
      const agenda = `/kkr/moeder/filer/dagsorden-${m}.pdf`;
      const appendix = `/media/${m}/bilag-${m}.pdf`;
      site.setFile(
        agenda,
        await makePdf({
          pages: [
            `Dagsorden\nKKR Syddanmark\nMøde den ${day}. ${month} ${year}\n1. Punkt ${m}\nKommunerne drøfter sag nummer ${m} om trafik, klima og sundhed.`,
            `2. Eventuelt\nNæste møde holdes i Vejle. Indstilling: KKR tager orienteringen til efterretning.`,
          ],
          header: null,
        }),
        "application/pdf",
      );
      site.setFile(
        appendix,
        await makePdf({ pages: [`Bilag ${m}\nBudget ${m} mio. kr.`], header: null }),
        "application/pdf",
      );
      sections.push(
        `<section><h2>KKR Syddanmark holdt møde den ${day}. ${month} ${year}</h2><ul><li><a href="${agenda}">Dagsorden</a></li><li><a href="${appendix}">Bilag 1</a></li></ul></section>`,
      );
    }
    const next = p + 1 < pages ? `<a href="/kkr/moeder?page=${p + 1}">Ældre møder</a>` : "";
    site.html(
      p === 0 ? "/kkr/moeder" : `/kkr/moeder?page=${p}`,
      `<html><body><h1>Mødemateriale</h1>${sections.join("")}${next}</body></html>`,
    );
  }

  const sourcesPath = join(tmp, "kkr.sources.json");
  writeFileSync(
    sourcesPath,
    JSON.stringify({
      sources: [{ name: "bench", url: site.url("/kkr/moeder"), depth: pages + 1, delayMs: 0 }],
    }),
  );
  const config = loadConfig({
    KKR_DB: join(tmp, "db"),
    KKR_DOCS_DIR: join(tmp, "docs"),
    KKR_SOURCES: sourcesPath,
    KKR_SYNC_USER_AGENT: "kkr-bot-bench",
    KKR_SYNC_DELAY_MS: "0",
    KKR_LOG_LEVEL: "silent",
  });
  const store = await KkrStore.open(config.db, { create: true });
  const embedder = new HashEmbedder();
  const run = async (name: string) => {
    site.resetRequests();
    const started = performance.now();
    const report = toJson(await runSyncJob({ config, store, embedder }));
    const ms = performance.now() - started;
    return {
      name,
      seconds: Math.round(ms) / 1000,
      requests: site.requests.length,
      fullDownloads: site.requests.filter((r) => r.status === 200 && r.path.endsWith(".pdf")).length,
      notModified: site.requests.filter((r) => r.status === 304).length,
      new: report.new,
      changed: report.changed,
      unchanged: report.unchanged,
      failed: report.failed.length,
      chunksEmbedded: report.ingest?.chunksEmbedded ?? 0,
    };
  };
  const rows = [await run("first sync")];
  rows.push(await run("re-sync, nothing changed"));
  site.setFile(
    "/kkr/moeder/filer/dagsorden-0.pdf",
    await makePdf({ pages: ["Dagsorden\nRettet"], header: null }),
    "application/pdf",
  );
  rows.push(await run("re-sync, one PDF changed"));
  store.close();
  const rssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.table(rows);
  console.log(
    `documents: ${MEETINGS * 2} PDFs on ${pages} listing pages; peak RSS ${rssMiB} MiB; node ${process.version}`,
  );
  console.log(JSON.stringify({ meetings: MEETINGS, rows, peakRssMiB: rssMiB }));
} finally {
  await site.close();
  rmSync(tmp, { recursive: true, force: true });
}
