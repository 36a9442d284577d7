import { constants, createDeflate } from "node:zlib";

/**
 * A decompression-bomb PDF: a valid one-page PDF whose page content stream is
 * FlateDecode-compressed and inflates to `inflatedMb` MB (spaces, which PDF reads as
 * whitespace, after a line of real text). Deflate shrinks a run of one byte about
 * 1,000:1, so 300 MB fits in ~300 KB. Compressed as a stream, a megabyte at a time, so
 * building it never holds the inflated bytes in memory.
 */
export async function makeBombPdf(options: { inflatedMb: number; text?: string }): Promise<Buffer> {
  const text = options.text ?? "Dagsorden for bombemødet";
  const head = Buffer.from(`BT /F1 12 Tf 72 720 Td (${text}) Tj ET\n`, "latin1");
  const stream = await deflateRun(head, options.inflatedMb);
  return assemblePdf(stream, "/Filter /FlateDecode");
}

/** Deflates `head` followed by `mb` MB of spaces, fed a megabyte at a time. */
async function deflateRun(head: Buffer, mb: number): Promise<Buffer> {
  const deflate = createDeflate({ level: constants.Z_BEST_COMPRESSION });
  const out: Buffer[] = [];
  deflate.on("data", (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on("end", resolve);
    deflate.on("error", reject);
  });
  const spaces = Buffer.alloc(1024 * 1024, 0x20);
  deflate.write(head);
  for (let i = 0; i < mb; i++) {
    if (!deflate.write(spaces)) await new Promise((r) => deflate.once("drain", r));
  }
  deflate.end();
  await done;
  return Buffer.concat(out);
}

/** One page, one Helvetica font, `content` as the page's content stream. */
function assemblePdf(content: Buffer, filter: string): Buffer {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (b: Buffer | string) => {
    const buf = typeof b === "string" ? Buffer.from(b, "latin1") : b;
    parts.push(buf);
    length += buf.length;
  };
  const object = (n: number, body: Buffer | string, stream?: Buffer) => {
    offsets[n] = length;
    push(`${n} 0 obj\n`);
    push(body);
    if (stream) {
      push("\nstream\n");
      push(stream);
      push("\nendstream");
    }
    push("\nendobj\n");
  };
  push("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
  object(1, "<< /Type /Catalog /Pages 2 0 R >>");
  object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  object(
    3,
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
  );
  object(4, `<< /Length ${content.length} ${filter} >>`, content);
  object(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  const xref = length;
  const rows = offsets.slice(1).map((o) => `${String(o).padStart(10, "0")} 00000 n \n`);
  push(`xref\n0 ${offsets.length}\n0000000000 65535 f \n${rows.join("")}`);
  push(`trailer\n<< /Size ${offsets.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}
