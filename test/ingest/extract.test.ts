import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decodeText } from "../../ingest/decode.js";
import { extractFile } from "../../ingest/extract.js";
import { isKkrError } from "../../src/errors.js";

const opts = { maxFileBytes: 10 * 1024 * 1024, parseTimeoutMs: 10_000 };
const danish = "Rådgivning om grøn omstilling på Ærø: Æble, Øster, Ålborg.";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "kkr-extract-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** Asserts the promise rejects with PARSE_FAILED and a reason matching `pattern`. */
async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isKkrError(error, "PARSE_FAILED"), `expected PARSE_FAILED, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

function utf16(text: string, bigEndian: boolean): Buffer {
  const le = Buffer.from(`\uFEFF${text}`, "utf16le");
  if (!bigEndian) return le;
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1] ?? 0;
    be[i + 1] = le[i] ?? 0;
  }
  return be;
}

describe("decodeText", () => {
  test("UTF-8 with and without BOM", () => {
    assert.equal(decodeText(Buffer.from(danish, "utf8")).text, danish);
    const withBom = decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(danish, "utf8")]));
    assert.equal(withBom.text, danish);
    assert.equal(withBom.encoding, "utf-8");
  });

  test("cp1252 / latin-1 bytes become the right Danish letters", () => {
    // "æøå ÆØÅ – €" in cp1252: the en dash and euro sign only exist in cp1252, not latin-1.
    const bytes = Buffer.from([0xe6, 0xf8, 0xe5, 0x20, 0xc6, 0xd8, 0xc5, 0x20, 0x96, 0x20, 0x80]);
    const decoded = decodeText(bytes);
    assert.equal(decoded.encoding, "windows-1252");
    assert.equal(decoded.text, "æøå ÆØÅ – €");
  });

  test("UTF-16 LE and BE with BOM", () => {
    const le = decodeText(utf16(danish, false));
    assert.equal(le.encoding, "utf-16le");
    assert.equal(le.text, danish);
    const be = decodeText(utf16(danish, true));
    assert.equal(be.encoding, "utf-16be");
    assert.equal(be.text, danish);
  });

  test("UTF-16 LE without BOM is recognised by its NUL pattern", () => {
    const decoded = decodeText(Buffer.from(`${danish}\n${danish}`, "utf16le"));
    assert.equal(decoded.encoding, "utf-16le");
    assert.equal(decoded.text, `${danish}\n${danish}`);
  });

  test("normalises to NFC and CRLF/CR to LF", () => {
    const decomposed = "a\u030Arhus og Ka\u030Ae"; // å written as a + combining ring
    const { text } = decodeText(Buffer.from(`${decomposed}\r\nlinje 2\rlinje 3`, "utf8"));
    assert.equal(text, "århus og Kåe\nlinje 2\nlinje 3");
    assert.ok(!text.includes("\u030A"));
  });
});

describe("extractFile: text formats", () => {
  test("format follows the extension; HTML comes back raw", async () => {
    const txt = await extractFile(await write("a.txt", danish), opts);
    assert.deepEqual(txt, { format: "text", pages: [danish] });
    const md = await extractFile(await write("b.MD", `# Overskrift\n\n${danish}`), opts);
    assert.equal(md.format, "markdown");
    assert.equal(md.pages[0], `# Overskrift\n\n${danish}`);
    assert.equal((await extractFile(await write("c.markdown", danish), opts)).format, "markdown");
    const html = `<html><body><p>${danish}</p></body></html>`;
    const h = await extractFile(await write("d.htm", html), opts);
    assert.deepEqual(h, { format: "html", pages: [html] });
    assert.equal((await extractFile(await write("e.html", html), opts)).format, "html");
  });

  test("a cp1252 .txt file decodes to æ ø å", async () => {
    const path = await write("cp1252.txt", Buffer.from("Møde i Ærø Kommune på Ålandsvej", "latin1"));
    assert.deepEqual((await extractFile(path, opts)).pages, ["Møde i Ærø Kommune på Ålandsvej"]);
  });

  test("a UTF-16 BOM .txt file decodes to æ ø å", async () => {
    const path = await write("utf16.txt", utf16(`${danish}\r\n`, false));
    assert.deepEqual((await extractFile(path, opts)).pages, [`${danish}\n`]);
  });

  test("a single 5 MB line is accepted as text, quickly", async () => {
    const line = "grøn omstilling ".repeat(Math.ceil((5 * 1024 * 1024) / 16));
    const path = await write("long-line.txt", line);
    const started = Date.now();
    const raw = await extractFile(path, opts);
    assert.equal(raw.format, "text");
    assert.equal(raw.pages[0]?.length, line.length);
    assert.ok(Date.now() - started < 5_000, "decoding a long line must not crawl");
  });
});

describe("extractFile: bad input is rejected with a reason", () => {
  test("unsupported extension", async () => {
    await rejectsWith(extractFile(await write("notes.docx", "x"), opts), /^unsupported file type \.docx$/);
    await rejectsWith(
      extractFile(await write("README", "x"), opts),
      /unsupported file type \(no extension\)/,
    );
  });

  test("zero-byte file", async () => {
    await rejectsWith(extractFile(await write("empty.txt", ""), opts), /empty \(0 bytes\)/);
    await rejectsWith(extractFile(await write("empty.pdf", ""), opts), /empty \(0 bytes\)/);
  });

  test("file over the size cap names the size, the cap and KKR_MAX_FILE_MB", async () => {
    const path = await write("big.txt", "a".repeat(3 * 1024 * 1024));
    await rejectsWith(
      extractFile(path, { ...opts, maxFileBytes: 2 * 1024 * 1024 }),
      /file is 3 MB, over the 2 MB size cap; raise KKR_MAX_FILE_MB/,
    );
  });

  test("binary junk named .txt", async () => {
    // Deterministic pseudo-random bytes, like a renamed image or zip.
    const junk = Buffer.alloc(4096);
    let seed = 42;
    for (let i = 0; i < junk.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      junk[i] = seed >> 16;
    }
    await rejectsWith(extractFile(await write("junk.txt", junk), opts), /not a text file: .*binary/);
  });

  test("control-character junk without NULs named .md", async () => {
    const bytes = Buffer.alloc(2000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 3 === 0 ? 0x01 + (i % 7) : 0x41 + (i % 26);
    await rejectsWith(
      extractFile(await write("junk.md", bytes), opts),
      /control characters; it looks binary/,
    );
  });

  test("a few stray control characters in real text are tolerated", async () => {
    const text = `${danish.repeat(20)}\u000c${danish}`; // form feed, as some exports insert
    assert.equal((await extractFile(await write("ff.txt", text), opts)).format, "text");
  });

  test("a text file renamed .pdf", async () => {
    await rejectsWith(extractFile(await write("fake.pdf", danish), opts), /not a PDF \(no %PDF header\)/);
  });
});
