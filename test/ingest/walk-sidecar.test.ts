import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { loadSidecars, parseCsv, sidecarFingerprint, sidecarFor } from "../../ingest/sidecar.js";
import { walkDocuments } from "../../ingest/walk.js";
import { isKkrError } from "../../src/errors.js";

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), "kkr-walk-"));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function tree(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** A real pino logger whose warnings are captured, to check what invalid sidecars report. */
function captureLogger(): { logger: pino.Logger; warnings: () => { sidecar: string; reason: string }[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const logger = pino({ level: "warn" }, stream);
  return { logger, warnings: () => lines.map((l) => JSON.parse(l) as { sidecar: string; reason: string }) };
}

describe("walkDocuments", () => {
  test("lists documents recursively with relative forward-slash paths, sorted", async () => {
    const dir = await tree("docs", {
      "b-referat.md": "# Referat",
      "a-dagsorden.pdf": "%PDF-1.4 fake",
      "a-dagsorden.pdf.json": '{"url":"https://kl.dk/a"}',
      "2020/nyhedsbrev.TXT": "Nyhedsbrev",
      "2020/nyhedsbrev.json": '{"title":"Nyhedsbrev"}',
      "2020/side/folder.htm": "<p>hej</p>",
      "2020/side/beretning.html": "<p>hej</p>",
      "sources.csv": "file,url\n",
      "notes.docx": "x",
      "2020/billede.PNG": "x",
      "stray.json": "{}",
      "2020/sources.csv": "file\n",
      Makefile: "x",
      ".hidden.txt": "secret",
      ".git/config.txt": "x",
      "2020/.DS_Store": "x",
    });
    const { files, skipped } = await walkDocuments(dir);
    assert.deepEqual(
      files.map((f) => f.source),
      [
        "2020/nyhedsbrev.TXT",
        "2020/side/beretning.html",
        "2020/side/folder.htm",
        "a-dagsorden.pdf",
        "b-referat.md",
      ],
    );
    const txt = files[0];
    assert.ok(txt);
    assert.equal(txt.ext, ".txt");
    assert.equal(txt.size, "Nyhedsbrev".length);
    assert.equal(txt.absPath, join(dir, "2020", "nyhedsbrev.TXT"));
    assert.ok(txt.mtimeMs > 0);
    assert.deepEqual(skipped, [
      { source: "2020/billede.PNG", reason: "unsupported file type .png" },
      {
        source: "2020/sources.csv",
        reason: "unsupported file type .csv (sources.csv is only read from the top folder)",
      },
      { source: "Makefile", reason: "unsupported file type (no extension)" },
      { source: "notes.docx", reason: "unsupported file type .docx" },
      { source: "stray.json", reason: "unsupported file type .json" },
    ]);
  });

  test("does not loop on symlink cycles, follows links to files, reports broken links", async () => {
    const dir = await tree("links", { "sub/a.txt": "a", "outside.md": "# x" });
    await symlink("..", join(dir, "sub", "up")); // sub/up → dir: a cycle
    await symlink(join(dir, "outside.md"), join(dir, "sub", "linked.md"));
    await symlink(join(dir, "nowhere.txt"), join(dir, "dangling.txt"));
    const { files, skipped } = await walkDocuments(dir);
    assert.deepEqual(
      files.map((f) => f.source),
      ["outside.md", "sub/a.txt", "sub/linked.md"],
    );
    assert.deepEqual(skipped, [{ source: "dangling.txt", reason: "broken symbolic link" }]);
  });

  test("a missing folder says how to fix it", async () => {
    await assert.rejects(walkDocuments(join(root, "no-such-folder")), (error: unknown) => {
      assert.ok(isKkrError(error, "DOCS_DIR_MISSING"));
      assert.match(error.message, /not found: .*no-such-folder/);
      assert.match(error.message, /kkr ingest DIR/);
      assert.match(error.message, /KKR_DOCS_DIR/);
      return true;
    });
    const file = join(await tree("file-not-dir", { "x.txt": "x" }), "x.txt");
    await assert.rejects(walkDocuments(file), (error: unknown) => isKkrError(error, "DOCS_DIR_MISSING"));
  });
});

describe("parseCsv", () => {
  test("quoted fields with commas, quotes and newlines", () => {
    const csv = 'file,title\r\na.pdf,"Referat, møde 3"\r\n"b.md","Han sagde ""ja""\nog gik"\r\n\r\n';
    assert.deepEqual(parseCsv(csv), [
      ["file", "title"],
      ["a.pdf", "Referat, møde 3"],
      ["b.md", 'Han sagde "ja"\nog gik'],
      [""],
    ]);
    assert.deepEqual(parseCsv("file;title\na.pdf;x", ";"), [
      ["file", "title"],
      ["a.pdf", "x"],
    ]);
  });
});

describe("loadSidecars / sidecarFor", () => {
  test("JSON sidecars (NAME.ext.json and NAME.json) and sources.csv, JSON winning per field", async () => {
    const dir = await tree("sidecars", {
      "a.pdf": "%PDF",
      "a.pdf.json": JSON.stringify({
        url: "https://www.kl.dk/a.pdf",
        title: "KKR Syddanmark dagsorden",
        region: "syddanmark",
        kind: "Dagsorden",
        meetingDate: "2020-11-11",
        ignoredKey: 1,
      }),
      "sub/b.md": "# B",
      "sub/b.json": JSON.stringify({ region: "KKR Sjaelland", publishedDate: "2022-03", place: null }),
      "c.txt": "c",
      "d.html": "<p>d</p>",
      "d.html.json": JSON.stringify({ kind: "other" }),
      "e.txt": "e",
      "e.txt.json": JSON.stringify({ kind: "Mødeplan" }),
      "sources.csv": [
        "File,URL,title,region,kind,publishedDate,place,extra",
        'a.pdf,https://csv.example/a,"Titel, fra CSV",Hovedstaden,referat,2020,"Odense, Rådhuset",x',
        "sub/b.md,https://csv.example/b,,,nyhedsbrev,,,",
        './c.txt,https://csv.example/c,"C ""citat""",alle,,,,',
      ].join("\n"),
    });
    const index = await loadSidecars(dir);
    assert.deepEqual(index.problems, []);

    assert.deepEqual(sidecarFor(index, "a.pdf"), {
      url: "https://www.kl.dk/a.pdf",
      title: "KKR Syddanmark dagsorden",
      region: "Syddanmark",
      kind: "dagsorden",
      meetingDate: "2020-11-11",
      publishedDate: "2020",
      place: "Odense, Rådhuset",
    });
    // "other", the kind of pages before the page kinds existed, is read as "side".
    assert.deepEqual(sidecarFor(index, "d.html"), { kind: "side" });
    assert.deepEqual(sidecarFor(index, "e.txt"), { kind: "mødeplan" });
    assert.deepEqual(sidecarFor(index, "sub/b.md"), {
      url: "https://csv.example/b",
      kind: "nyhedsbrev",
      region: "Sjælland",
      publishedDate: "2022-03",
      place: null,
    });
    assert.deepEqual(sidecarFor(index, "c.txt"), {
      url: "https://csv.example/c",
      title: 'C "citat"',
      region: "all",
    });
    assert.deepEqual(sidecarFor(index, "not-there.pdf"), {});
  });

  test("semicolon-separated sources.csv with a UTF-8 BOM (Danish Excel)", async () => {
    const dir = await tree("excel", {
      "x.txt": "x",
      "sources.csv": Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from("file;url;title\r\nx.txt;https://kl.dk/x;Ærø, Sønderborg og Åbenrå\r\n"),
      ]),
    });
    const index = await loadSidecars(dir);
    assert.deepEqual(sidecarFor(index, "x.txt"), {
      url: "https://kl.dk/x",
      title: "Ærø, Sønderborg og Åbenrå",
    });
  });

  test("invalid sidecars are ignored with a warning, never a crash", async () => {
    const dir = await tree("invalid", {
      "a.pdf": "%PDF",
      "a.pdf.json": "{ not json",
      "b.md": "b",
      "b.md.json": JSON.stringify({ kind: "roman", meetingDate: "2020-13-45" }),
      "c.txt": "c",
      "c.json": JSON.stringify(["an", "array"]),
      "d.txt": "d",
      "d.txt.json": JSON.stringify({ url: "javascript:alert(1)" }),
      "e.txt": "e",
      "sources.csv": [
        "file,url,meetingDate,region",
        "e.txt,https://kl.dk/e,11-11-2020,",
        "a.pdf,https://kl.dk/a,,Nordjylland",
        ",,,",
        ",https://kl.dk/orphan,,",
      ].join("\n"),
    });
    const { logger, warnings } = captureLogger();
    const index = await loadSidecars(dir, logger);
    // The valid CSV row still applies; the broken JSON next to it is ignored.
    assert.deepEqual(sidecarFor(index, "a.pdf"), { url: "https://kl.dk/a", region: "Nordjylland" });
    assert.deepEqual(sidecarFor(index, "b.md"), {});
    assert.deepEqual(sidecarFor(index, "c.txt"), {});
    assert.deepEqual(sidecarFor(index, "d.txt"), {});
    assert.deepEqual(sidecarFor(index, "e.txt"), {});

    const bySource = new Map(index.problems.map((p) => [p.source, p.reason]));
    assert.match(bySource.get("a.pdf.json") ?? "", /not valid JSON/);
    assert.match(bySource.get("b.md.json") ?? "", /kind: .*meetingDate: /);
    assert.ok(bySource.has("c.json"));
    assert.match(bySource.get("d.txt.json") ?? "", /^url: /);
    assert.match(bySource.get("sources.csv row 2 (e.txt)") ?? "", /meetingDate: must be YYYY-MM-DD/);
    assert.match(bySource.get("sources.csv row 5") ?? "", /empty `file` cell/);
    assert.equal(index.problems.length, 6);
    // Every problem went to the injected logger as a warning.
    assert.deepEqual(
      warnings().map((w) => w.sidecar),
      index.problems.map((p) => p.source),
    );
  });

  test("a sources.csv without a file column is ignored with a warning", async () => {
    const dir = await tree("no-file-col", {
      "a.txt": "a",
      "sources.csv": "path,url\na.txt,https://kl.dk/a\n",
    });
    const { logger, warnings } = captureLogger();
    const index = await loadSidecars(dir, logger);
    assert.deepEqual(sidecarFor(index, "a.txt"), {});
    assert.deepEqual(index.problems, [
      { source: "sources.csv", reason: "no `file` column in the header row" },
    ]);
    assert.equal(warnings().length, 1);
  });

  test("a missing folder gives an empty index (walkDocuments reports it)", async () => {
    const index = await loadSidecars(join(root, "nope"));
    assert.equal(index.json.size + index.csv.size + index.problems.length, 0);
  });

  test("sidecarFingerprint is stable under key order and changes with content", () => {
    const a = sidecarFingerprint({ url: "https://kl.dk/a", title: "T", region: "all" });
    const b = sidecarFingerprint({ region: "all", title: "T", url: "https://kl.dk/a", place: undefined });
    assert.equal(a, b);
    assert.equal(a, '{"region":"all","title":"T","url":"https://kl.dk/a"}');
    assert.notEqual(a, sidecarFingerprint({ url: "https://kl.dk/a", title: "T2", region: "all" }));
    assert.equal(sidecarFingerprint({}), "{}");
  });
});
