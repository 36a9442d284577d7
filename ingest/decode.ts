/**
 * Turns the bytes of a text document into a normalised string. Danish documents in the
 * wild come as UTF-8 (with or without BOM), UTF-16 from Word's "Unicode text", and
 * cp1252/latin-1 from older Windows tools; all must end up as the same æ ø å.
 */

export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

/** Decodes with BOM sniffing, then strict UTF-8, then cp1252; NFC and LF line ends. */
export function decodeText(bytes: Uint8Array): DecodedText {
  const { encoding, offset } = detectEncoding(bytes);
  const body = bytes.subarray(offset);
  // ignoreBOM so a BOM we already skipped is not interpreted again.
  const raw =
    encoding === "windows-1252"
      ? decodeCp1252(body)
      : new TextDecoder(encoding, { ignoreBOM: true }).decode(body);
  return { text: normalizeText(raw), encoding };
}

// cp1252's 0x80–0x9F block (undefined slots stay C1 controls, as in the WHATWG table).
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

/**
 * Node's TextDecoder("windows-1252") decodes as plain latin-1 on Node 20–23 (nodejs/node#56542),
 * turning "–" and "€" into C1 controls, so the 0x80–0x9F block is mapped here.
 */
function decodeCp1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
  return latin1.replace(/[\u0080-\u009f]/g, (c) =>
    String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? 0xfffd),
  );
}

/** NFC (so "å" is one code point however it was typed) and CRLF/CR → LF. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, "\n").normalize("NFC");
}

function detectEncoding(bytes: Uint8Array): { encoding: TextEncodingName; offset: number } {
  const [b0, b1, b2] = [bytes[0], bytes[1], bytes[2]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: "utf-8", offset: 3 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: "utf-16le", offset: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: "utf-16be", offset: 2 };
  const utf16 = sniffUtf16WithoutBom(bytes);
  if (utf16) return { encoding: utf16, offset: 0 };
  if (isValidUtf8(bytes)) return { encoding: "utf-8", offset: 0 };
  // Not UTF-8: the remaining single-byte encodings in Danish use agree on æøå (latin-1 ⊂ cp1252).
  return { encoding: "windows-1252", offset: 0 };
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * UTF-16 without a BOM shows up as a NUL in every other byte for Latin text. Checking the
 * first few KB is enough and keeps this cheap on large files.
 */
function sniffUtf16WithoutBom(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.6 && evenNul < pairs * 0.05) return "utf-16le";
  if (evenNul > pairs * 0.6 && oddNul < pairs * 0.05) return "utf-16be";
  return null;
}

/**
 * Why a decoded "text" file is really binary, or null when it looks like text. Real text
 * has no NULs and almost no control characters besides tab and line breaks; binary junk
 * decoded as cp1252 is full of both.
 */
export function binaryReason(text: string): string | null {
  if (text.includes("\u0000")) return "file contains NUL bytes; it looks binary, not text";
  let control = 0;
  let counted = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    counted++;
    // C0 controls except \t \n \v \f \r, DEL, and C1 controls (cp1252's undefined bytes decode there).
    if ((c < 0x20 && (c < 0x09 || c > 0x0d)) || (c >= 0x7f && c <= 0x9f)) control++;
  }
  if (counted > 0 && control / counted > 0.02 && control >= 3) {
    const pct = Math.round((control / counted) * 100);
    return `${pct}% of the characters are control characters; it looks binary, not text`;
  }
  return null;
}
