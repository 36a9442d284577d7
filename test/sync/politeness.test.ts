import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { SyncReport } from "../../src/sync/report.js";
import { parseSources } from "../../src/sync/sources.js";
import { type SyncOptions, syncSources } from "../../src/sync/sync.js";
import { FixtureSite } from "../helpers/fixture-site.js";
import { tempDir } from "../helpers/index-fixture.js";
import { makePdf } from "../helpers/make-pdf.js";

/** The sync as a good citizen of the web: robots.txt, errors, retries, timeouts, limits. */

const UA = "kkr-bot-test/1.0 (+mailto:drift@example.dk)";
const START = "/kkr/moeder";

describe("web sync politeness and failures", () => {
  let site: FixtureSite;
  let other: FixtureSite;
  let pdf: Buffer;
  let docs: ReturnType<typeof tempDir>;

  before(async () => {
    site = await FixtureSite.start();
    other = await FixtureSite.start();
    pdf = await makePdf({
      pages: ["Dagsorden\nKKR Syddanmark\nMøde den 1. marts 2021\n1. Budget"],
      header: null,
    });
  });
  after(async () => {
    await site.close();
    await other.close();
  });
  beforeEach(() => {
    docs = tempDir("kkr-sync-docs-");
    site.resetRequests();
    other.resetRequests();
    site.setFile("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain");
  });
  afterEach(() => docs.cleanup());

  /** A meeting page with `links`, synced once into `docs`. */
  const syncPage = async (
    links: string,
    options: {
      source?: Record<string, unknown>;
      sync?: Partial<SyncOptions>;
      timeoutMs?: number;
      retries?: number;
    } = {},
  ): Promise<SyncReport> => {
    site.html(
      START,
      `<html><body><h2>KKR Syddanmark holdt møde den 1. marts 2021</h2><ul>${links}</ul></body></html>`,
    );
    return syncSources({
      sources: parseSources({
        sources: [{ name: "s", url: site.url(START), delayMs: 0, ...options.source }],
      }),
      docsDir: docs.path,
      config: {
        userAgent: UA,
        delayMs: 0,
        timeoutMs: options.timeoutMs ?? 2_000,
        retries: options.retries ?? 2,
      },
      maxFileBytes: 1024 * 1024,
      retryBaseMs: 5,
      ...options.sync,
    });
  };
  const failure = (report: SyncReport, path: string) =>
    report.failed.find((f) => f.url === site.url(path))?.reason ?? "";
  const saved = (report: SyncReport) => report.documents.filter((d) => d.status === "new").map((d) => d.url);
  const leftovers = () =>
    (readdirSync(docs.path, { recursive: true }) as string[]).filter((f) => /\.(part|tmp)$/.test(f));

  test("robots.txt: disallowed paths are never requested; every request identifies itself", async () => {
    site.setFile("/robots.txt", "User-agent: *\nDisallow: /privat/\n", "text/plain");
    site.setFile("/privat/a.pdf", pdf, "application/pdf");
    site.setFile("/offentlig/b.pdf", pdf, "application/pdf");
    const report = await syncPage(
      '<li><a href="/privat/a.pdf">Bilag A</a></li><li><a href="/offentlig/b.pdf">Bilag B</a></li>',
    );
    assert.equal(site.requestsTo("/privat/a.pdf").length, 0);
    assert.equal(failure(report, "/privat/a.pdf"), "disallowed by robots.txt");
    assert.deepEqual(saved(report), [site.url("/offentlig/b.pdf")]);
    assert.ok(site.requests.length >= 3);
    for (const r of site.requests) assert.equal(r.headers["user-agent"], UA);
  });

  test("robots.txt: a group for our User-Agent applies, and an unreachable robots.txt stops the host", async () => {
    site.setFile(
      "/robots.txt",
      "User-agent: kkr-bot-test\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
      "text/plain",
    );
    const blocked = await syncPage("");
    assert.equal(failure(blocked, START), "disallowed by robots.txt");
    assert.equal(site.requestsTo(START).length, 0);

    site.on("/robots.txt", (_req, res) => {
      res.writeHead(503).end();
    });
    const unreachable = await syncPage("", { retries: 0 });
    assert.match(failure(unreachable, START), /robots\.txt of .* could not be read \(HTTP 503/);
    assert.equal(site.requestsTo(START).length, 0);
  });

  test("a missing robots.txt (404) allows everything", async () => {
    site.clear("/robots.txt");
    site.setFile("/a.pdf", pdf, "application/pdf");
    const report = await syncPage('<li><a href="/a.pdf">Dagsorden</a></li>');
    assert.deepEqual(saved(report), [site.url("/a.pdf")]);
  });

  test("Crawl-delay in robots.txt slows the requests to that host", async () => {
    site.setFile("/robots.txt", "User-agent: *\nCrawl-delay: 2\n", "text/plain");
    site.setFile("/a.pdf", pdf, "application/pdf");
    const waits: number[] = [];
    const report = await syncPage('<li><a href="/a.pdf">Dagsorden</a></li>', {
      sync: { sleep: async (ms) => void waits.push(ms) },
    });
    assert.deepEqual(saved(report), [site.url("/a.pdf")]);
    assert.ok(waits.length >= 1 && waits.every((w) => w > 1_900 && w <= 2_000), `waits: ${waits.join(", ")}`);
  });

  test("one request at a time per host, with the configured pause between them", async () => {
    for (const n of [1, 2, 3, 4]) site.setFile(`/d${n}.pdf`, pdf, "application/pdf");
    const links = [1, 2, 3, 4].map((n) => `<li><a href="/d${n}.pdf">Bilag ${n}</a></li>`).join("");
    const report = await syncPage(links, { source: { delayMs: 80 } });
    assert.equal(saved(report).length, 4);
    assert.equal(site.maxInFlight, 1);
    const starts = site.requests.map((r) => r.at);
    for (let i = 1; i < starts.length; i++) {
      assert.ok(starts[i]! - starts[i - 1]! >= 70, `gap ${starts[i]! - starts[i - 1]!} ms`);
    }
  });

  test("a 404 is reported with its status; a 500 then success is retried and saved", async () => {
    let calls = 0;
    site.on("/flaky.pdf", (_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(500).end("oops");
      else res.writeHead(200, { "content-type": "application/pdf" }).end(pdf);
    });
    const report = await syncPage(
      '<li><a href="/missing.pdf">Referat</a></li><li><a href="/flaky.pdf">Dagsorden</a></li>',
    );
    assert.equal(failure(report, "/missing.pdf"), "HTTP 404 Not Found");
    assert.deepEqual(saved(report), [site.url("/flaky.pdf")]);
    assert.equal(calls, 2);
  });

  test("429 with Retry-After waits as asked; a Retry-After too long is left for the next sync", async () => {
    let calls = 0;
    site.on("/busy.pdf", (_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(429, { "retry-after": "3" }).end();
      else res.writeHead(200, { "content-type": "application/pdf" }).end(pdf);
    });
    site.on("/later.pdf", (_req, res) => {
      res.writeHead(503, { "retry-after": "3600" }).end();
    });
    const waits: number[] = [];
    const report = await syncPage(
      '<li><a href="/busy.pdf">Dagsorden</a></li><li><a href="/later.pdf">Referat</a></li>',
      { sync: { sleep: async (ms) => void waits.push(ms) } },
    );
    assert.deepEqual(saved(report), [site.url("/busy.pdf")]);
    assert.ok(waits.includes(3_000), `waits: ${waits.join(", ")}`);
    assert.match(failure(report, "/later.pdf"), /HTTP 503.*wait 3600 s/);
    assert.equal(site.requestsTo("/later.pdf").length, 1);
  });

  test("5xx that never recovers gives up after the retries", async () => {
    site.on("/down.pdf", (_req, res) => {
      res.writeHead(502).end();
    });
    const report = await syncPage('<li><a href="/down.pdf">Dagsorden</a></li>', { retries: 2 });
    assert.match(failure(report, "/down.pdf"), /HTTP 502 .*after 3 attempts/);
    assert.equal(site.requestsTo("/down.pdf").length, 3);
  });

  test("a slow response times out, before the headers and in the middle of a body", async () => {
    site.on("/slow.pdf", async (_req, res) => {
      await sleep(1_500);
      if (!res.destroyed) res.writeHead(200, { "content-type": "application/pdf" }).end(pdf);
    });
    site.on("/stalls.pdf", async (_req, res) => {
      res.writeHead(200, { "content-type": "application/pdf", "content-length": String(pdf.length) });
      res.write(pdf.subarray(0, 100));
      await sleep(1_500);
      if (!res.destroyed) res.end(pdf.subarray(100));
    });
    const report = await syncPage(
      '<li><a href="/slow.pdf">Dagsorden</a></li><li><a href="/stalls.pdf">Referat</a></li>',
      { timeoutMs: 300, retries: 0 },
    );
    assert.equal(failure(report, "/slow.pdf"), "timed out after 300 ms");
    assert.match(failure(report, "/stalls.pdf"), /no data for 300 ms/);
    assert.deepEqual(leftovers(), []);
  });

  test("redirects: followed up to 5, a loop stops, more than 5 stop, and none leaves the source's hosts", async () => {
    const chain = (name: string, n: number, end: string) => {
      for (let i = 0; i < n; i++) {
        const to = i === n - 1 ? end : `/${name}${i + 1}`;
        site.on(`/${name}${i}`, (_req, res) => {
          res.writeHead(302, { location: to }).end();
        });
      }
    };
    site.setFile("/final.pdf", pdf, "application/pdf");
    chain("six", 5, "/final.pdf");
    site.on("/r6.pdf", (_req, res) => {
      res.writeHead(302, { location: "/six0" }).end();
    });
    site.on("/loop-a.pdf", (_req, res) => {
      res.writeHead(301, { location: "/loop-b.pdf" }).end();
    });
    site.on("/loop-b.pdf", (_req, res) => {
      res.writeHead(301, { location: "/loop-a.pdf" }).end();
    });
    site.on("/away.pdf", (_req, res) => {
      res.writeHead(302, { location: other.url("/stolen.pdf") }).end();
    });
    other.setFile("/stolen.pdf", pdf, "application/pdf");
    const report = await syncPage(
      [
        '<li><a href="/r6.pdf">Bilag 2</a></li>',
        '<li><a href="/loop-a.pdf">Bilag 3</a></li>',
        '<li><a href="/away.pdf">Bilag 4</a></li>',
      ].join(""),
    );
    assert.equal(failure(report, "/r6.pdf"), `more than 5 redirects (last to ${site.url("/final.pdf")})`);
    assert.equal(site.requestsTo("/final.pdf").length, 0);
    assert.match(failure(report, "/loop-a.pdf"), /redirect loop/);
    assert.match(failure(report, "/away.pdf"), /redirected to .*stolen\.pdf: off the source's hosts/);
    assert.equal(other.requests.length, 0);
    assert.equal(site.requestsTo("/loop-a.pdf").length, 1, "a loop is noticed, not walked until the limit");
  });

  test("exactly 5 redirects are followed", async () => {
    site.setFile("/final.pdf", pdf, "application/pdf");
    for (let i = 0; i < 4; i++) {
      site.on(`/hop${i}`, (_req, res) => {
        res.writeHead(307, { location: i === 3 ? "/final.pdf" : `/hop${i + 1}` }).end();
      });
    }
    site.on("/start.pdf", (_req, res) => {
      res.writeHead(301, { location: "/hop0" }).end();
    });
    const report = await syncPage('<li><a href="/start.pdf">Dagsorden</a></li>');
    assert.deepEqual(saved(report), [site.url("/start.pdf")]);
    const file = report.documents[0]?.file ?? "";
    assert.deepEqual(readFileSync(join(docs.path, file)), pdf);
  });

  test("links to other hosts are not followed, documents or pages", async () => {
    other.setFile("/kkr/moeder/dagsorden.pdf", pdf, "application/pdf");
    other.html("/kkr/moeder/side", "<a href='/kkr/moeder/dagsorden.pdf'>Dagsorden</a>");
    const report = await syncPage(
      `<li><a href="${other.url("/kkr/moeder/dagsorden.pdf")}">Dagsorden</a></li><li><a href="${other.url("/kkr/moeder/side")}">Mere</a></li>`,
    );
    assert.equal(other.requests.length, 0);
    assert.equal(report.documents.length, 0);
    assert.deepEqual(report.failed, []);
  });

  test("an extra host in `hosts` (a CDN) is allowed", async () => {
    other.setFile("/files/dagsorden.pdf", pdf, "application/pdf");
    other.setFile("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain");
    const report = await syncPage(`<li><a href="${other.url("/files/dagsorden.pdf")}">Dagsorden</a></li>`, {
      source: { hosts: [other.host] },
    });
    assert.deepEqual(saved(report), [other.url("/files/dagsorden.pdf")]);
    assert.match(report.documents[0]?.file ?? "", /^s\/127\.0\.0\.1-\d+\/files\/dagsorden\.pdf$/);
  });

  test("an oversized file and an HTML page served where a PDF was linked are skipped with reasons", async () => {
    const big = Buffer.concat([pdf, Buffer.alloc(2 * 1024 * 1024, 32)]);
    site.setFile("/stor.pdf", big, "application/pdf");
    site.on("/stor-uden-laengde.pdf", (_req, res) => {
      res.writeHead(200, { "content-type": "application/pdf" });
      res.end(big); // chunked: the size shows only while downloading
    });
    site.setFile(
      "/login.pdf",
      "<!doctype html><html><body>Log ind</body></html>",
      "text/html; charset=utf-8",
    );
    site.setFile("/forklaedt.pdf", "<html><body>Fejl</body></html>", "application/octet-stream");
    const report = await syncPage(
      [
        '<li><a href="/stor.pdf">Bilag 1</a></li>',
        '<li><a href="/stor-uden-laengde.pdf">Bilag 2</a></li>',
        '<li><a href="/login.pdf">Dagsorden</a></li>',
        '<li><a href="/forklaedt.pdf">Referat</a></li>',
      ].join(""),
    );
    assert.match(
      failure(report, "/stor.pdf"),
      /file is 2(\.\d)? MB, over the 1 MB cap; raise KKR_MAX_FILE_MB/,
    );
    assert.match(failure(report, "/stor-uden-laengde.pdf"), /over the 1 MB cap/);
    assert.match(
      failure(report, "/login.pdf"),
      /expected a PDF but the server sent an HTML page \(text\/html\)/,
    );
    assert.match(
      failure(report, "/forklaedt.pdf"),
      /expected a PDF but the server sent an HTML page \(no %PDF/,
    );
    assert.deepEqual(saved(report), []);
    assert.deepEqual(
      (readdirSync(docs.path, { recursive: true }) as string[]).filter((f) => f.endsWith(".pdf")),
      [],
    );
    assert.deepEqual(leftovers(), []);
  });

  test("a download cut off mid-way leaves the old file and its sidecar", async () => {
    site.setFile("/dagsorden.pdf", pdf, "application/pdf");
    const first = await syncPage('<li><a href="/dagsorden.pdf">Dagsorden</a></li>');
    const file = join(docs.path, first.documents[0]?.file ?? "");
    const sidecarBefore = readFileSync(`${file}.json`, "utf8");
    const newer = await makePdf({ pages: ["Dagsorden\nÆndret indhold der aldrig når frem"], header: null });
    site.on("/dagsorden.pdf", (_req, res) => {
      res.writeHead(200, {
        "content-type": "application/pdf",
        "content-length": String(newer.length),
        etag: '"new"',
      });
      res.write(newer.subarray(0, Math.floor(newer.length / 2)), () => res.destroy());
    });
    const second = await syncPage('<li><a href="/dagsorden.pdf">Dagsorden</a></li>', { retries: 0 });
    assert.match(failure(second, "/dagsorden.pdf"), /connection closed before the end|cut off/);
    assert.deepEqual(readFileSync(file), pdf);
    assert.equal(readFileSync(`${file}.json`, "utf8"), sidecarBefore);
    assert.deepEqual(leftovers(), []);
  });

  test("stopping mid-download (the bot shutting down) rejects at once and leaves no partial file", async () => {
    site.on("/lang.pdf", async (_req, res) => {
      res.writeHead(200, { "content-type": "application/pdf", "content-length": String(pdf.length) });
      res.write(pdf.subarray(0, 100));
      await sleep(2_000);
      if (!res.destroyed) res.end(pdf.subarray(100));
    });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error("the bot is shutting down")), 200);
    await assert.rejects(
      syncPage('<li><a href="/lang.pdf">Dagsorden</a></li>', { sync: { signal: controller.signal } }),
      /shutting down/,
    );
    assert.ok(Date.now() - started < 1_500);
    assert.deepEqual(leftovers(), []);
    assert.deepEqual(
      (readdirSync(docs.path, { recursive: true }) as string[]).filter((f) => f.endsWith(".pdf")),
      [],
    );
  });

  test("the depth limit and <meta name=robots content=nofollow> bound the crawl", async () => {
    site.html("/kkr/moeder/a", "<a href='/kkr/moeder/b'>b</a>");
    site.html("/kkr/moeder/b", "<a href='/kkr/moeder/c'>c</a>");
    site.html("/kkr/moeder/c", "<a href='/kkr/moeder/d'>d</a>");
    site.html(
      "/kkr/moeder/nf",
      "<meta name='robots' content='noindex, nofollow'><a href='/kkr/moeder/x'>x</a>",
    );
    const report = await syncPage(
      '<li><a href="/kkr/moeder/a">a</a></li><li><a href="/kkr/moeder/nf">nf</a></li>',
    );
    assert.equal(site.requestsTo("/kkr/moeder/b").length, 1, "depth 2 by default");
    assert.equal(site.requestsTo("/kkr/moeder/c").length, 0);
    assert.equal(site.requestsTo("/kkr/moeder/x").length, 0);
    assert.equal(report.pages, 4);
  });
});
