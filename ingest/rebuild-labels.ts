/**
 * Label/value pairs that a conversion split over lines come back together: "Mødested" on
 * one line and "Mødelokale 7" on the next become "Mødested: Mødelokale 7", and a stacked
 * header (the labels "Dato:", "Tid:", "Sted:" first, their values after, as a PDF's
 * two-column table extracts) is paired in order, so a chunk says "Sted: Rådhuset, …".
 */
import { isListLine, isLive, type Line, remove } from "./lines.js";

/** Masthead labels that take one short value (not list headings like "Deltagere"). */
export const VALUE_LABEL =
  /^(dato|mødedato|møde\s?dato|tid|tidspunkt|mødetidspunkt|klokken|sted|mødested|møde\s?sted|mødelokale|lokale|lokation|adresse|mødeleder|mødeform|formand|referent|sagsnr\.?|sagsnummer|journalnr\.?|j\.\s?nr\.?|dokumentdato|emne|udvalg|forum|møde|date|time|place|venue|location|chair|publiceret|offentliggjort|udgivet|opdateret|sidst opdateret|senest opdateret|forfatter|kontaktperson)\s*:?$/i;

const MAX_VALUE = 150;
const MAX_VALUE_LINES = 3;

const isLabel = (l: Line | undefined) => isLive(l) && l.text !== "" && VALUE_LABEL.test(l.text);

function isValue(l: Line | undefined): l is Line {
  return (
    isLive(l) &&
    l.text !== "" &&
    l.text.length <= MAX_VALUE &&
    !VALUE_LABEL.test(l.text) &&
    !isListLine(l.text) &&
    !/:$/.test(l.text) &&
    (l.level === 0 || l.level > 2)
  );
}

/** Live line indices from i on, blank lines marked by -1 (removed lines skipped). */
function* walk(lines: Line[], i: number): Generator<number> {
  for (let j = i; j < lines.length; j++) {
    const l = lines[j];
    if (!isLive(l)) continue;
    yield l.text === "" ? -1 : j;
  }
}

const labelText = (l: Line) => l.text.replace(/\s*:$/, "");

function join(label: Line, values: Line[]): void {
  label.text = `${labelText(label)}: ${values.map((v) => v.text.replace(/[,;]$/, "")).join(", ")}`;
  label.level = 0;
  for (const v of values) remove(v);
}

/** A wrapped part of a value (an address line): short, no sentence, a number or a few words. */
const continuesValue = (t: string) =>
  t.length <= 60 && !/[.!?]$/.test(t) && (/\d/.test(t) || t.split(/\s+/).length <= 3);

/**
 * One label line with its value on the next line (after at most one blank line), plus up to
 * two more lines of the same block that continue it (an address).
 */
function pairSingle(lines: Line[], i: number): boolean {
  const label = lines[i] as Line;
  const values: Line[] = [];
  let blanksBefore = 0;
  for (const j of walk(lines, i + 1)) {
    if (j < 0) {
      if (values.length > 0) break;
      if (++blanksBefore > 1) return false;
      continue;
    }
    const l = lines[j];
    if (isLabel(l) || !isValue(l)) break;
    if (values.length > 0 && (values.length >= MAX_VALUE_LINES || !continuesValue(l.text))) break;
    values.push(l);
  }
  if (values.length === 0) return false;
  join(label, values);
  return true;
}

/** k label lines in a row, then exactly k value lines: paired in order. */
function pairStacked(lines: Line[], i: number): number {
  const labels: Line[] = [];
  const values: Line[] = [];
  let after: Line | undefined;
  for (const j of walk(lines, i)) {
    if (j < 0) continue;
    const l = lines[j] as Line;
    if (values.length === 0 && isLabel(l)) {
      labels.push(l);
      continue;
    }
    if (values.length < labels.length && isValue(l)) {
      values.push(l);
      continue;
    }
    after = l;
    break;
  }
  if (labels.length < 2 || values.length !== labels.length) return 0;
  // The values must end there: a label, a heading, a paragraph or the end follows.
  if (after && isValue(after) && after.text.length <= 80 && after.level === 0) return 0;
  labels.forEach((l, k) => {
    join(l, [values[k] as Line]);
  });
  return labels.length;
}

export function rebuildLabels(lines: Line[]): void {
  for (let i = 0; i < lines.length; i++) {
    if (!isLabel(lines[i])) continue;
    const stacked = pairStacked(lines, i);
    if (stacked > 0) continue;
    pairSingle(lines, i);
  }
}
