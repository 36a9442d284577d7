import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Kkr } from "../../src/kkr.js";
import { toJson } from "../../src/sync/report.js";
import type { FixtureSite } from "../helpers/fixture-site.js";
import { makePdf } from "../helpers/make-pdf.js";
import { AGENDA_PAGES, kkrSite, mainPage, PATHS, START_PATH, sourcesFor } from "./kkr-site.js";
import { fileOf, syncEnv, TEST_UA } from "./sync-env.js";

/** `kkr sync` against a local KKR-like site, into a real LanceDB index, offline answers. */
describe("web sync end to end", () => {
  let site: FixtureSite;
  let env: Awaited<ReturnType<typeof syncEnv>>;
  const F = {
    agenda: fileOf("syddanmark", PATHS.agenda),
    minutes: fileOf("syddanmark", PATHS.minutes),
    appendix: fileOf("syddanmark", PATHS.appendix),
    june: fileOf("syddanmark", PATHS.juneAgenda),
    news: fileOf("syddanmark", PATHS.news, ".html"),
  };
  const documentPaths = [PATHS.agenda, PATHS.minutes, PATHS.appendix, PATHS.juneAgenda, PATHS.news];

  before(async () => {
    site = await kkrSite();
    env = await syncEnv(sourcesFor(site));
  });
  after(async () => {
    env.cleanup();
    await site.close();
  });

  const ask = async (question: string) => {
    const kkr = await Kkr.open(env.config, { llmAnswerer: null, rewriter: null });
    try {
      return await kkr.ask(question);
    } finally {
      await kkr.close();
    }
  };

  test("a dry run lists what it would fetch and changes nothing", async () => {
    const json = toJson(await env.run({ dryRun: true }));
    assert.equal(json.dryRun, true);
    assert.equal(json.new, 5);
    assert.equal(json.ingest, null);
    assert.deepEqual(env.allFiles(), []);
    for (const path of documentPaths) assert.equal(site.requestsTo(path).length, 0, path);
    site.resetRequests();
  });

  test("the first sync downloads every linked document with its sidecar, ingests it, and answers cite the web url", async () => {
    const json = toJson(await env.run());
    assert.equal(json.pages, 2, "the start page and the paginated older meetings");
    assert.equal(json.new, 5);
    assert.deepEqual(json.failed, []);
    assert.deepEqual([...(json.ingest?.added ?? [])].sort(), Object.values(F).sort());
    assert.ok((json.ingest?.chunksEmbedded ?? 0) > 0);

    const minutes = env.sidecar(F.minutes);
    assert.equal(minutes.url, site.url(PATHS.minutes), "a relative link is resolved against the page");
    assert.equal(minutes.kind, "referat");
    assert.equal(minutes.meetingDate, "2020-11-11");
    assert.equal(minutes.region, "Syddanmark");
    assert.equal(minutes.sync.linkText, "Referat");
    assert.match(minutes.sync.context ?? "", /holdt møde den 11\. november 2020/);
    assert.equal(minutes.sync.page, site.url(START_PATH));
    assert.equal(minutes.sync.etag, site.file(PATHS.minutes)?.etag);
    assert.equal(minutes.sync.lastModified, site.file(PATHS.minutes)?.lastModified);
    assert.ok(minutes.sync.fetchedAt);

    const appendix = env.sidecar(F.appendix);
    assert.equal(appendix.sync.role, "bilag");
    assert.equal(appendix.meetingDate, "2020-11-11", "an appendix belongs to the meeting it is listed under");
    assert.equal(appendix.kind, undefined, "an appendix's kind is left to ingest");

    const june = env.sidecar(F.june);
    assert.equal(june.meetingDate, "2020-06-10", "a paragraph 'holdt møde den …' above a link dates it");
    assert.equal(june.sync.role, "dagsorden", "a 'Hent PDF' link takes its role from the file name");
    assert.equal(env.sidecar(F.news).url, site.url(PATHS.news));
    assert.equal(env.sidecar(F.news).meetingDate, undefined, "a news item's date is not a meeting date");

    const answer = await ask("Hvem er udpeget til Trafikrådet?");
    assert.match(answer.answer, /Ingrid Testesen/);
    const urls = answer.citations.map((c) => c.url);
    assert.ok(
      urls.some((u) => u === site.url(PATHS.agenda) || u === site.url(PATHS.minutes)),
      `citations carry the web url: ${urls.join(", ")}`,
    );

    for (const r of site.requests) assert.equal(r.headers["user-agent"], TEST_UA);
    assert.equal(site.requestsTo("/should-not-be-followed").length, 0, "links inside <script> are not links");
    assert.equal(site.requestsTo("/").length, 0, "pages outside the start url's path are not crawled");
    assert.equal(site.requestsTo("/kkr-syddanmark").length, 0);
  });

  test("a re-sync sends conditional requests, downloads nothing and embeds nothing", async () => {
    const mtimes = Object.values(F).map((f) => [
      statSync(join(env.docs, f)).mtimeMs,
      statSync(join(env.docs, `${f}.json`)).mtimeMs,
    ]);
    site.resetRequests();
    const json = toJson(await env.run());
    assert.equal(json.new, 0);
    assert.equal(json.changed, 0);
    assert.equal(json.unchanged, 5);
    assert.equal(json.ingest?.chunksEmbedded, 0);
    assert.equal(json.ingest?.unchanged, 5);
    for (const path of documentPaths) {
      const [request] = site.requestsTo(path);
      assert.ok(request, path);
      assert.equal(request.headers["if-none-match"], site.file(path)?.etag, path);
      assert.equal(request.headers["if-modified-since"], site.file(path)?.lastModified, path);
      assert.equal(request.status, 304, path);
    }
    const after = Object.values(F).map((f) => [
      statSync(join(env.docs, f)).mtimeMs,
      statSync(join(env.docs, `${f}.json`)).mtimeMs,
    ]);
    assert.deepEqual(after, mtimes, "neither documents nor sidecars were rewritten");
  });

  test("a changed PDF is replaced and re-ingested", async () => {
    const before = env.sidecar(F.agenda);
    const changed = AGENDA_PAGES.map((p) => p.replace("Ingrid Testesen", "Birthe Nyborgsen"));
    site.setFile(PATHS.agenda, await makePdf({ pages: changed, header: null }), "application/pdf");
    const json = toJson(await env.run());
    assert.equal(json.changed, 1);
    assert.equal(json.unchanged, 4);
    assert.deepEqual(json.ingest?.updated, [F.agenda]);
    assert.deepEqual(readFileSync(join(env.docs, F.agenda)), site.file(PATHS.agenda)?.body);
    const after = env.sidecar(F.agenda);
    assert.equal(after.sync.etag, site.file(PATHS.agenda)?.etag);
    assert.notEqual(after.sync.sha256, before.sync.sha256);
    assert.equal(after.sync.firstSeenAt, before.sync.firstSeenAt);
    const answer = await ask("Hvem udpeger KKR Syddanmark til Trafikrådet for perioden 2021-2024?");
    assert.match(answer.answer, /Birthe Nyborgsen/);
  });

  test("a document the site no longer links to is kept, and removed with --prune", async () => {
    site.html(START_PATH, mainPage().replace(/<li><a href="\/media\/4711[^\n]*<\/li>/, ""));
    const kept = toJson(await env.run());
    assert.deepEqual(
      kept.gone.map((g) => g.file),
      [F.appendix],
    );
    assert.ok(env.exists(F.appendix), "kept: it is the record of a past meeting");
    assert.deepEqual(kept.ingest?.removed, []);

    const pruned = toJson(await env.run({ prune: true }));
    assert.deepEqual(pruned.pruned, [F.appendix]);
    assert.equal(env.exists(F.appendix), false);
    assert.equal(env.exists(`${F.appendix}.json`), false);
    assert.deepEqual(pruned.ingest?.removed, [F.appendix]);
  });

  test("--prune keeps everything when a page could not be read", async () => {
    site.on(PATHS.page2, (_req, res) => {
      res.writeHead(404).end();
    });
    const json = toJson(await env.run({ prune: true }));
    assert.equal(json.failed.length, 1);
    assert.match(json.failed[0]?.reason ?? "", /404/);
    assert.deepEqual(
      json.gone.map((g) => g.file),
      [F.june],
    );
    assert.deepEqual(json.pruned, []);
    assert.ok(env.exists(F.june));
  });
});
