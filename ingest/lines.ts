/**
 * The line model cleaning works on: every step edits, merges or drops lines, and the text
 * (with heading hints and page offsets) is assembled from them once at the end, so offsets
 * stay right whatever a step did.
 */
export interface Line {
  text: string;
  /** Heading level hint (0 = none). */
  level: number;
  /** 0-based page the line came from; -1 marks a line removed before assembly. */
  page: number;
}

/** Agenda sub-headings; never treated as page furniture even when they repeat at page tops. */
export const KNOWN_SUBHEADINGS =
  /^(?:baggrund|indstilling|sagsfremstilling|beslutning|resumé|resume|bilag|økonomi|sagsbeskrivelse|proces|videre proces|tidsplan|lovgrundlag|kompetence|konklusion|opfølgning|forslag til beslutning|beslutningstema|fraværende|afbud|deltagere|sagens baggrund|sagens indhold|indstilling og beslutning)\s*:?$/i;

/** A list item as cleaning writes it ("- …", "1. …", "2) …"). */
export const LIST_ITEM = /^(?:- |\d{1,3}[.)] )/;

/** A list item, but not a date that starts a line ("14. marts 2023" is no item 14). */
export const isListLine = (t: string) => t.startsWith("- ") || /^\d{1,3}[.)] (?!\p{Ll})/u.test(t);

export const isLive = (l: Line | undefined): l is Line => l !== undefined && l.page >= 0;

export function remove(line: Line | undefined): void {
  if (line) {
    line.page = -1;
    line.level = 0;
  }
}

/** Index of the next live, non-blank line after `i` (or -1), and how many blank lines lie between. */
export function nextText(lines: Line[], i: number): { at: number; blanks: number } {
  let blanks = 0;
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j];
    if (!isLive(l)) continue;
    if (l.text === "") {
      blanks++;
      continue;
    }
    return { at: j, blanks };
  }
  return { at: -1, blanks };
}
