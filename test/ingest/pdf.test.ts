import assert from "node:assert/strict";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { extractFile } from "../../ingest/extract.js";
import { parseFile } from "../../ingest/parse-file.js";
import type { FoundFile } from "../../ingest/walk.js";
import { isKkrError } from "../../src/errors.js";
import { DANISH_PAGES, DEFAULT_HEADER, makePdf } from "../helpers/make-pdf.js";

const opts = { maxFileBytes: 20 * 1024 * 1024, parseTimeoutMs: 20_000 };

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "kkr-pdf-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writePdf(name: string, bytes: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function found(name: string, bytes: Buffer): Promise<FoundFile> {
  const absPath = await writePdf(name, bytes);
  const info = await stat(absPath);
  return { absPath, source: `møder/${name}`, size: info.size, mtimeMs: info.mtimeMs, ext: ".pdf" };
}

/** Rejects with PARSE_FAILED matching `pattern`, within `withinMs` (nothing may hang). */
async function rejectsWith(promise: Promise<unknown>, pattern: RegExp, withinMs = 15_000): Promise<void> {
  const started = Date.now();
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isKkrError(error, "PARSE_FAILED"), `expected PARSE_FAILED, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
  assert.ok(Date.now() - started < withinMs, `took ${Date.now() - started} ms`);
}

const flat = (s: string) => s.replace(/\s+/g, " ").trim();

describe("extractFile on real PDFs", () => {
  test("text comes through page by page with Danish letters intact", async () => {
    const raw = await extractFile(await writePdf("dagsorden.pdf", await makePdf()), opts);
    assert.equal(raw.format, "pdf");
    assert.equal(raw.pages.length, DANISH_PAGES.length);
    DANISH_PAGES.forEach((body, i) => {
      const page = flat(raw.pages[i] ?? "");
      // pages[i] is page i + 1: its own body, header and footer, nobody else's body.
      assert.ok(page.includes(flat(body)), `page ${i + 1} lacks its body: ${page}`);
      assert.ok(page.includes(DEFAULT_HEADER), `page ${i + 1} lacks the header`);
      assert.ok(page.includes(`Side ${i + 1} af ${DANISH_PAGES.length}`));
      const other = DANISH_PAGES[(i + 1) % DANISH_PAGES.length] ?? "";
      assert.ok(!page.includes(flat(other).slice(0, 30)));
    });
    const all = raw.pages.join("\n");
    for (const word of ["grøn", "bæredygtig", "Ærø", "Åbenrå", "Sønderborg", "ældre"]) {
      assert.ok(all.includes(word), `missing ${word}`);
    }
    assert.equal(all, all.normalize("NFC"));
  });

  test("several PDFs in parallel each get their own pages", async () => {
    const docs = await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        const pages = Array.from({ length: n }, (_, p) => `Dokument ${n} side ${p + 1}: Køge Bugt`);
        return { n, path: await writePdf(`par-${n}.pdf`, await makePdf({ pages, header: null })) };
      }),
    );
    const results = await Promise.all(docs.map((d) => extractFile(d.path, opts)));
    results.forEach((raw, i) => {
      const n = i + 1;
      assert.equal(raw.pages.length, n);
      assert.match(raw.pages[n - 1] ?? "", new RegExp(`Dokument ${n} side ${n}: Køge Bugt`));
    });
  });
});

describe("bad PDFs are skipped with their reason and never hang", () => {
  test("encrypted (user password)", async () => {
    const path = await writePdf("encrypted.pdf", await makePdf({ userPassword: "hemmelig" }));
    await rejectsWith(extractFile(path, opts), /encrypted \(password-protected\)/);
  });

  test("image-only (no text layer)", async () => {
    const path = await writePdf("scan.pdf", await makePdf({ imageOnly: true }));
    await rejectsWith(extractFile(path, opts), /^PDF has no text layer \(scanned image\?\); OCR it first$/);
  });

  test("truncated", async () => {
    for (const fraction of [0.1, 0.5]) {
      const path = await writePdf(`truncated-${fraction}.pdf`, await makePdf({ truncateTo: fraction }));
      await rejectsWith(extractFile(path, opts), /corrupt or truncated/);
    }
  });

  test("garbage after a %PDF header", async () => {
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(5000, 0x5a)]);
    await rejectsWith(extractFile(await writePdf("garbage.pdf", bytes), opts), /corrupt or truncated/);
  });

  test("parse timeout kills the worker and says which variable to raise", async () => {
    const pages = Array.from({ length: 60 }, (_, i) =>
      `${DANISH_PAGES[i % DANISH_PAGES.length]}\n`.repeat(8),
    );
    const path = await writePdf("slow.pdf", await makePdf({ pages }));
    await rejectsWith(
      extractFile(path, { ...opts, parseTimeoutMs: 20 }),
      /timed out after 0.02 s.*KKR_PARSE_TIMEOUT_MS/,
      5_000,
    );
    // The same file parses fine with time to spare: the timeout, not the file, failed it.
    assert.equal((await extractFile(path, opts)).pages.length, 60);
  });

  test("over the size cap, before any parsing", async () => {
    const path = await writePdf("capped.pdf", await makePdf());
    await rejectsWith(
      extractFile(path, { ...opts, maxFileBytes: 1000 }),
      /over the .* size cap.*KKR_MAX_FILE_MB/,
    );
  });
});

describe("parseFile end to end", () => {
  test("hash, page numbers and Danish text survive; running header and footer are gone", async () => {
    const bytes = await makePdf();
    const file = await found("kkr-syddanmark-dagsorden.pdf", bytes);
    const parsed = await parseFile(file, opts);
    const { createHash } = await import("node:crypto");
    assert.equal(parsed.contentHash, createHash("sha256").update(bytes).digest("hex"));
    assert.equal(parsed.pageCount, DANISH_PAGES.length);
    assert.equal(parsed.pageOffsets.length, DANISH_PAGES.length);
    assert.equal(parsed.pageOffsets[0], 0);

    const text = parsed.text;
    for (const word of ["grøn omstilling", "bæredygtig", "Ærø", "Åbenrå", "Sønderborg"]) {
      assert.ok(text.includes(word), `missing ${word}`);
    }
    // Furniture: the running header and the "Side N af M" footers appear on every page.
    assert.ok(!/Side \d+ af \d+/.test(text), `footer left in: ${text}`);
    assert.ok(!text.includes(DEFAULT_HEADER), `header left in: ${text}`);

    // Each page's body starts at (or after) its page offset, in order.
    DANISH_PAGES.forEach((body, i) => {
      const firstLine = body.split("\n")[0] ?? "";
      const at = text.indexOf(firstLine);
      assert.ok(at >= (parsed.pageOffsets[i] ?? Number.NaN), `page ${i + 1} body before its offset`);
      const next = parsed.pageOffsets[i + 1];
      if (next !== undefined) assert.ok(at < next, `page ${i + 1} body after the next page's offset`);
    });
    // Chunks carry the PDF page their text starts on.
    const sku = parsed.chunks.find((c) => c.text.includes("Sundhedskoordinationsudvalget"));
    assert.ok(sku, "no chunk with page 3's text");
    assert.equal(sku.page, 3);
    for (const chunk of parsed.chunks) {
      assert.equal(text.slice(chunk.start, chunk.end), chunk.text);
      // The page a chunk claims is the one whose offset range holds the chunk's start.
      const pageOf = parsed.pageOffsets.filter((offset) => offset <= chunk.start).length;
      assert.equal(chunk.page, pageOf);
    }
  });

  test("the sidecar overrides what the content says", async () => {
    const file = await found("med-sidecar.pdf", await makePdf());
    const parsed = await parseFile(file, {
      ...opts,
      sidecar: { url: "https://www.kl.dk/kkr/dagsorden.pdf", title: "Dagsorden fra sidecar" },
    });
    assert.equal(parsed.meta.url, "https://www.kl.dk/kkr/dagsorden.pdf");
    assert.equal(parsed.meta.title, "Dagsorden fra sidecar");
  });

  test("bad files fail with the extractor's reason", async () => {
    const file = await found("scan2.pdf", await makePdf({ imageOnly: true }));
    await rejectsWith(parseFile(file, opts), /no text layer/);
    const big = await found("big.pdf", await makePdf());
    await rejectsWith(parseFile(big, { ...opts, maxFileBytes: 100 }), /KKR_MAX_FILE_MB/);
  });

  test("text that cleans away to nothing is 'no text found'", async () => {
    const absPath = join(dir, "tom.html");
    await writeFile(
      absPath,
      "<html><head><title></title></head><body><p>&nbsp;</p><div> </div></body></html>",
    );
    const info = await stat(absPath);
    const file: FoundFile = {
      absPath,
      source: "tom.html",
      size: info.size,
      mtimeMs: info.mtimeMs,
      ext: ".html",
    };
    await rejectsWith(parseFile(file, opts), /^no text found$/);
  });
});
