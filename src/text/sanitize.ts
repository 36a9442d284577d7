/**
 * A question as typed or pasted can carry invisible characters that change what the
 * analysis sees without changing what the user meant: terminal colour codes (ANSI
 * escapes), soft hyphens and zero-width characters from web pages and Word, direction
 * marks, stray control characters. "for\u00ADmand" must still be "formand".
 */

// ESC [ … final byte (CSI: colours, cursor moves), ESC ] … BEL or ESC \ (OSC: titles,
// links), and any other two-byte ESC sequence.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]/g;
// Invisible format characters: soft hyphen, zero-width space/joiners, word joiner, BOM,
// Mongolian vowel separator, and the bidirectional marks, embeddings and isolates.
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// Other control characters (C0 but tab and newline, DEL, C1) and unusual spaces become a space.
const CONTROL_OR_SPACE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00a0\u2000-\u200a\u202f\u205f\u3000\t\r]/g;

/** The question without invisible and control characters, NFC, spaces collapsed, trimmed. */
export function sanitizeQuestion(text: string): string {
  return (text ?? "")
    .replace(ANSI, "")
    .replace(INVISIBLE, "")
    .replace(CONTROL_OR_SPACE, " ")
    .normalize("NFC")
    .replace(/[ ]{2,}/g, " ")
    .replace(/ *\n */g, "\n")
    .trim();
}
