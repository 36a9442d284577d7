import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../../src/config.js";
import { isKkrError } from "../../src/errors.js";
import { retryAfterMs } from "../../src/sync/fetcher.js";
import { disambiguate, localNameFor } from "../../src/sync/file-names.js";
import { HostGate } from "../../src/sync/host-gate.js";
import { parsePage } from "../../src/sync/html-links.js";
import { linkContexts, roleOf } from "../../src/sync/link-context.js";
import { startSchedule } from "../../src/sync/schedule.js";
import { Serial } from "../../src/sync/serial.js";
import { parseSourcesText } from "../../src/sync/sources.js";
import { parseInterval } from "../../src/sync/sync-config.js";

const ROOT = resolve(import.meta.dirname, "../..");

describe("link context on meeting pages", () => {
  // The form of a KL "Mødemateriale" page: meetings as paragraphs under year headings.
  const html = `<html><head><title>KKR Sjælland – Mødemateriale</title></head><body>
<h1>Mødemateriale</h1>
<h2>Mødedatoer</h2><ul><li>Onsdag den 8. februar</li><li>Onsdag den 26. april</li></ul>
<h2>Mødemateriale 2024</h2>
<p>KKR Sjælland afholder sit møde den 17. april 2024 kl. 9.30 – 12.30</p>
<p>Mødet finder sted i Erhvervshus Sjælland, Fulbyvej 15, i Sorø</p>
<p>Dagsorden og bilag kan ses nedenfor.</p>
<ul>
  <li><a href="/media/1/dagsorden-kkr-sjaelland-17-april-2024.pdf">Dagsorden KKR Sjælland 17. april 2024</a></li>
  <li><a href="/media/2/b1.pdf">Bilag 1 Kollektiv mobilitet</a></li>
</ul>
<p>KKR Sjælland afholdt sit møde den 6. februar 2024 kl. 9.30 – 12.00.</p>
<p>Mødet blev afviklet virtuelt. <a href="/media/3/beslutningsreferat.pdf">Referat</a></p>
<p>Næste møde afholdes den 5. februar 2025.</p>
<ul><li><a href="/media/6/b7.pdf">Bilag 7</a></li></ul>
<h2>Mødemateriale 2023</h2>
<ul><li><a href="/media/4/aarsplan.pdf">Mødeplan 2023</a></li></ul>
<details><summary>Møde 20. november 2023</summary><a href="/media/5/d.pdf">Hent</a> <a href="/media/5/dagsorden.pdf">Dagsorden</a></details>
<h2>Nyheder</h2>
<ul><li>24.10.2017 <a href="/nyheder/praktik">Kommunerne løfter mere praktik</a></li>
<li>Nyhedsbrev 2. december 2020 <a href="/media/9/nyhedsbrev.pdf">(PDF)</a></li></ul>
<a href="javascript:void(0)">Print</a> <a href="mailto:x@y.dk">Mail</a> <a href="#top">Til toppen</a>
</body></html>`;
  const page = parsePage(html, "https://www.example.dk/kkr/kkr-sjaelland/moedemateriale");
  const byPath = new Map(linkContexts(page).map((c) => [new URL(c.link.href).pathname, c]));

  test("only http(s) links, resolved against the page", () => {
    assert.deepEqual(
      page.links.map((l) => l.href).filter((h) => !h.startsWith("https://www.example.dk/")),
      [],
    );
    assert.ok(page.links.some((l) => l.href === "https://www.example.dk/kkr/kkr-sjaelland/moedemateriale"));
    assert.equal(page.title, "KKR Sjælland – Mødemateriale");
  });

  test("a link's own date, the meeting paragraph above it, and the region", () => {
    const agenda = byPath.get("/media/1/dagsorden-kkr-sjaelland-17-april-2024.pdf");
    assert.equal(agenda?.role, "dagsorden");
    assert.equal(agenda?.meetingDate, "2024-04-17");
    assert.equal(agenda?.region, "Sjælland");
    const appendix = byPath.get("/media/2/b1.pdf");
    assert.equal(appendix?.role, "bilag");
    assert.equal(appendix?.meetingDate, "2024-04-17");
    assert.match(appendix?.context ?? "", /afholder sit møde den 17\. april 2024/);
    const minutes = byPath.get("/media/3/beslutningsreferat.pdf");
    assert.equal(minutes?.role, "referat");
    assert.equal(minutes?.meetingDate, "2024-02-06");
  });

  test("'næste møde' is not the meeting of the links below; a new section ends a meeting", () => {
    assert.equal(byPath.get("/media/6/b7.pdf")?.meetingDate, "2024-02-06");
    const plan = byPath.get("/media/4/aarsplan.pdf");
    assert.equal(plan?.meetingDate, null);
    assert.equal(plan?.role, null);
    assert.equal(byPath.get("/media/5/dagsorden.pdf")?.meetingDate, "2023-11-20", "an accordion title");
    assert.equal(byPath.get("/media/5/d.pdf")?.meetingDate, "2023-11-20");
  });

  test("news dates are not meeting dates", () => {
    assert.equal(byPath.get("/nyheder/praktik")?.meetingDate, null);
    assert.equal(byPath.get("/media/9/nyhedsbrev.pdf")?.meetingDate, null);
  });

  test("roles from what links are called", () => {
    assert.equal(roleOf("Bilag til dagsorden"), "bilag");
    assert.equal(roleOf("Dagsorden med bilag"), "dagsorden");
    assert.equal(roleOf("Beslutningsreferat"), "referat");
    assert.equal(roleOf("Referat og dagsorden"), "referat");
    assert.equal(roleOf("Appendix 2"), "bilag");
    assert.equal(roleOf("Nyhedsbrev"), null);
  });

  test("links in scripts and styles are not links; entities are decoded", () => {
    const p = parsePage(
      "<script>document.write('<a href=\"/x\">x</a>')</script><style>a{}</style><p>R&aring;d <a href='/a?b=1&amp;c=2'>M&oslash;de</a></p>",
      "http://h.dk/",
    );
    assert.deepEqual(
      p.links.map((l) => [l.href, l.text, l.lead]),
      [["http://h.dk/a?b=1&c=2", "Møde", "Råd"]],
    );
  });
});

describe("local file names", () => {
  test("the url's path, with safe characters", () => {
    assert.equal(
      localNameFor("https://www.kl.dk/media/1234/Dagsorden%20KKR%20%C3%86r%C3%B8.pdf", "www.kl.dk", ".pdf"),
      "media/1234/Dagsorden-KKR-Ærø.pdf",
    );
    assert.equal(
      localNameFor("https://www.kl.dk/nyheder/ny-formand", "www.kl.dk", ".html"),
      "nyheder/ny-formand.html",
    );
    assert.equal(
      localNameFor("https://cdn.kl.dk:8443/a/b.pdf", "www.kl.dk", ".pdf"),
      "cdn.kl.dk-8443/a/b.pdf",
    );
  });

  test("query strings become a hash; names stay inside the folder", () => {
    const a = localNameFor("https://x.dk/GetFile.aspx?id=7", "x.dk", ".pdf");
    const b = localNameFor("https://x.dk/GetFile.aspx?id=8", "x.dk", ".pdf");
    assert.match(a, /^GetFile\.aspx-[0-9a-f]{8}\.pdf$/);
    assert.notEqual(a, b);
    const sneaky = localNameFor("https://x.dk/..%2f..%2f.ssh/%2e%2e%5cx.pdf", "x.dk", ".pdf");
    assert.ok(!sneaky.split("/").some((s) => s === ".." || s.startsWith(".")), sneaky);
    assert.ok(resolve("/docs/s", sneaky).startsWith("/docs/s/"));
    assert.match(disambiguate("a/b.pdf", "https://x.dk/B.pdf"), /^a\/b-[0-9a-f]{8}\.pdf$/);
  });
});

describe("sources file", () => {
  const minimal =
    '{"sources": [{"name": "syddanmark", "url": "https://www.example.dk/kkr-syddanmark/moedemateriale", "region": "syddanmark"}]}';

  test("the smallest file gets the defaults", () => {
    const [s] = parseSourcesText(minimal);
    assert.equal(s?.region, "Syddanmark");
    assert.equal(s?.depth, 2);
    assert.deepEqual(s?.follow, ["/kkr-syddanmark/moedemateriale"]);
    assert.deepEqual(s?.documents, [".pdf"]);
    assert.deepEqual(s?.hosts, []);
    assert.equal(s?.delayMs, null);
  });

  test("comments and trailing commas are fine; http and loopback are allowed", () => {
    const [s] = parseSourcesText(`{
      // a comment
      "sources": [{ "name": "intra", "url": "http://127.0.0.1:8080/kkr", /* inline */ "documents": ["pdf", ".html"], },],
    }`);
    assert.deepEqual(s?.documents, [".pdf", ".html"]);
  });

  test("the commented example in the README is a valid sources file", () => {
    const readme = readFileSync(resolve(ROOT, "README.md"), "utf8");
    const block = /```jsonc\n(\{\n\s*"sources"[\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(block, "README has a ```jsonc sources example");
    const sources = parseSourcesText(block);
    assert.ok(sources.length >= 1);
  });

  const invalid = (text: string, pattern: RegExp) => {
    assert.throws(
      () => parseSourcesText(text),
      (e: unknown) => isKkrError(e, "SOURCES_INVALID") && pattern.test(e.message),
    );
  };

  test("mistakes are named with their place", () => {
    invalid('{"sources": [{"name": "a", "url": "ftp://x.dk/"}]}', /sources\.0\.url/);
    invalid('{"sources": [{"name": "a", "url": "https://x.dk/", "dept": 3}]}', /sources\.0.*dept/);
    invalid(
      '{"sources": [{"name": "a", "url": "https://x.dk/", "include": ["("]}]}',
      /sources\.0\.include\.0: not a valid regular expression/,
    );
    invalid(
      '{"sources": [{"name": "a", "url": "https://x.dk/", "documents": [".docx"]}]}',
      /ingest reads \.pdf/,
    );
    invalid('{"sources": [{"name": "a", "url": "https://x.dk/", "region": "Skåne"}]}', /sources\.0\.region/);
    invalid('{"sources": [{"name": "../etc", "url": "https://x.dk/"}]}', /sources\.0\.name/);
    invalid(
      '{"sources": [{"name": "a", "url": "https://x.dk/"}, {"name": "A", "url": "https://y.dk/"}]}',
      /sources\.1\.name: used twice/,
    );
    invalid('{\n  "sources": [\n    {"name": "a" "url": "https://x.dk/"}\n  ]\n}', /line 3: CommaExpected/);
  });
});

describe("settings", () => {
  test("KKR_SYNC_INTERVAL takes durations, off, and refuses less than a minute", () => {
    assert.equal(parseInterval("6h"), 6 * 3_600_000);
    assert.equal(parseInterval("1h30m"), 90 * 60_000);
    assert.equal(parseInterval("1d"), 86_400_000);
    assert.equal(parseInterval("off"), null);
    assert.ok(Number.isNaN(parseInterval("every day")));
    assert.equal(loadConfig({ KKR_SYNC_INTERVAL: "6h" }).sync.intervalMs, 21_600_000);
    assert.equal(loadConfig({}).sync.intervalMs, null);
    assert.throws(() => loadConfig({ KKR_SYNC_INTERVAL: "30s" }), /KKR_SYNC_INTERVAL: must be at least 1m/);
    assert.throws(() => loadConfig({ KKR_SYNC_INTERVAL: "soon" }), /KKR_SYNC_INTERVAL: must be a duration/);
  });

  test("sync defaults and overrides", () => {
    const d = loadConfig({}).sync;
    assert.equal(d.sourcesPath, "./kkr.sources.json");
    assert.equal(d.userAgentConfigured, false);
    assert.equal(d.delayMs, 1_000);
    assert.equal(d.announceChannel, null);
    const c = loadConfig(
      {
        KKR_SOURCES: "/etc/kkr.json",
        KKR_SYNC_USER_AGENT: "kkr-bot (+mailto:a@b.dk)",
        KKR_ANNOUNCE_CHANNEL: "C123",
      },
      { sources: "./mine.json" },
    ).sync;
    assert.equal(c.sourcesPath, "./mine.json", "a flag beats the environment");
    assert.equal(c.userAgent, "kkr-bot (+mailto:a@b.dk)");
    assert.equal(c.announceChannel, "C123");
  });

  test("Retry-After in seconds or as a date", () => {
    const now = Date.parse("2024-01-01T00:00:00Z");
    assert.equal(retryAfterMs("120", now), 120_000);
    assert.equal(retryAfterMs("Mon, 01 Jan 2024 00:00:30 GMT", now), 30_000);
    assert.equal(retryAfterMs("soon", now), null);
    assert.equal(retryAfterMs(null, now), null);
  });
});

describe("taking turns", () => {
  test("HostGate: one job at a time per host, a pause between, other hosts in parallel", async () => {
    const gate = new HostGate((ms) => sleep(ms));
    let running = 0;
    let most = 0;
    const ends: number[] = [];
    const starts: number[] = [];
    const job = (host: string) =>
      gate.run(host, 40, async () => {
        starts.push(Date.now());
        running++;
        most = Math.max(most, running);
        await sleep(10);
        running--;
        ends.push(Date.now());
      });
    const t0 = Date.now();
    await Promise.all([job("a"), job("a"), job("a")]);
    assert.equal(most, 1);
    assert.ok(starts[1]! - ends[0]! >= 35 && starts[2]! - ends[1]! >= 35);
    most = 0;
    running = 0;
    const t1 = Date.now();
    await Promise.all([gate.run("b", 0, () => sleep(60)), gate.run("c", 0, () => sleep(60))]);
    assert.ok(Date.now() - t1 < 110, "different hosts do not wait for each other");
    assert.ok(t1 - t0 >= 100);
  });

  test("a schedule never overlaps itself and stop() aborts a run in progress", async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    let aborted = false;
    const schedule = startSchedule({
      intervalMs: 20,
      run: async (signal) => {
        runs++;
        running++;
        most = Math.max(most, running);
        await sleep(60, undefined, { signal }).catch(() => {
          aborted = true;
        });
        running--;
      },
    });
    await sleep(30);
    void schedule.runNow();
    void schedule.runNow();
    await sleep(200);
    // stop while a run is in progress (on a loaded machine the 200 ms may end between runs)
    while (running === 0) await sleep(2);
    await schedule.stop();
    assert.equal(most, 1);
    assert.ok(runs >= 2, `runs: ${runs}`);
    assert.equal(aborted, true);
    const after = runs;
    await sleep(80);
    assert.equal(runs, after, "nothing runs after stop()");
  });

  test("Serial runs jobs one after another, also after a failure", async () => {
    const serial = new Serial();
    const log: string[] = [];
    const a = serial.run(async () => {
      await sleep(30);
      log.push("a");
      throw new Error("a failed");
    });
    const b = serial.run(async () => {
      log.push("b");
      return 2;
    });
    await assert.rejects(a, /a failed/);
    assert.equal(await b, 2);
    assert.deepEqual(log, ["a", "b"]);
  });
});
