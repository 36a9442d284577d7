/**
 * Tables given one cell per line — what converting a PDF or web table to text usually
 * leaves ("Kommune / Kommunekvote 2015 / Morsø / 71 / Thisted / 128 …") — become one line
 * per row ("Morsø | 71"), so a row label and its figures stay together in one chunk. The
 * column count comes from the repeating pattern of a row label followed by figures, with or
 * without a header row of the same width.
 */
import { isLive, LIST_ITEM, type Line } from "./lines.js";

// a figure, with a unit a money or share column writes in each cell ("1.904.000 kr.", "2,4 mio. kr.", "12 pct.")
const NUMERIC =
  /^(?:[-–+]?(?:\d{1,3}(?:[.\s]\d{3})+|\d+)(?:,\d+)?\s*(?:%|pct\.?|procent|kr\.?|mio\.?\s*kr\.?|mia\.?\s*kr\.?)?|[-–])$/;
const MAX_CELL = 60;
const MAX_COLUMNS = 8;
const MIN_ROWS = 3;
/** Blank lines allowed between two cells of one table. */
const MAX_GAP = 3;

const isNumeric = (t: string) => NUMERIC.test(t);
/** A column heading that is a year ("Kommune / 2023 / 2024") is a heading, not a figure. */
const YEAR = /^(?:19|20)\d{2}$/;
/** Cells after the last row that are not part of the table ("Kilde: …", the next heading). */
const MAX_TAIL = 3;

function isCell(t: string): boolean {
  if (isNumeric(t)) return true;
  return (
    t.length <= MAX_CELL &&
    t.split(/\s+/).length <= 6 &&
    !/[.:;!?]$/.test(t) &&
    !LIST_ITEM.test(t) &&
    !t.includes(" | ")
  );
}

interface Layout {
  /** Cells before the table (kept as lines). */
  skip: number;
  /** Cells after the table (kept as lines). */
  tail: number;
  columns: number;
  header: boolean;
  rows: number;
  score: number;
}

/** How well `cells` (after skip/header) fit `columns` columns: 0–1, or -1 when they don't. */
function fit(cells: string[], columns: number): number {
  if (cells.length % columns !== 0) return -1;
  const rows = cells.length / columns;
  if (rows < MIN_ROWS) return -1;
  const numericCol: boolean[] = [];
  for (let c = 0; c < columns; c++) {
    let n = 0;
    for (let r = 0; r < rows; r++) if (isNumeric(cells[r * columns + c] ?? "")) n++;
    numericCol.push(n / rows >= 0.5);
  }
  // A row label first, then at least one column of figures.
  if (numericCol[0] || !numericCol.some(Boolean)) return -1;
  let agree = 0;
  cells.forEach((cell, i) => {
    if (isNumeric(cell) === numericCol[i % columns]) agree++;
  });
  return agree / cells.length;
}

function bestLayout(cells: string[]): Layout | null {
  let best: Layout | null = null;
  for (let skip = 0; skip <= 2; skip++) {
    for (let tail = 0; tail <= MAX_TAIL; tail++) {
      for (let columns = 2; columns <= MAX_COLUMNS; columns++) {
        for (const header of [true, false]) {
          const start = skip + (header ? columns : 0);
          const head = cells.slice(skip, start);
          if (header && head.some((c) => isNumeric(c) && !YEAR.test(c))) continue;
          const body = cells.slice(start, cells.length - tail);
          const f = fit(body, columns);
          if (f < 0.9) continue;
          // Prefer the reading that explains more cells, then the better fit, then a header.
          const score = f + (cells.length - skip - tail) / cells.length + (header ? 0.01 : 0);
          if (!best || score > best.score) {
            best = { skip, tail, columns, header, rows: body.length / columns, score };
          }
        }
      }
    }
  }
  return best;
}

/** Rebuilds one-cell-per-line tables into rows; returns the new line list. */
export function rebuildCellTables(lines: Line[]): Line[] {
  const out: Line[] = [];
  let i = 0;
  while (i < lines.length) {
    const run = cellRun(lines, i);
    const layout = run.length >= MIN_ROWS * 2 ? bestLayout(run.map((k) => lines[k]?.text ?? "")) : null;
    if (!layout) {
      // Not a table: keep the lines as they are and go on after the run (linear time).
      const last = Math.max(i, run[run.length - 1] ?? i);
      for (let k = i; k <= last; k++) out.push(lines[k] as Line);
      i = last + 1;
      continue;
    }
    // Lines before the table, then the rows.
    const first = run[0] ?? i;
    for (let k = i; k < first; k++) out.push(lines[k] as Line);
    for (let k = 0; k < layout.skip; k++) out.push(lines[run[k] ?? 0] as Line);
    const cells = run.slice(layout.skip, run.length - layout.tail).map((k) => lines[k] as Line);
    const width = layout.columns;
    for (let r = 0; r * width < cells.length; r++) {
      const row = cells.slice(r * width, r * width + width);
      out.push({ text: row.map((c) => c.text).join(" | "), level: 0, page: row[0]?.page ?? 0 });
    }
    // what follows the last row stays as it was, from the first cell after the table
    const after = run[run.length - layout.tail];
    if (layout.tail > 0 && after !== undefined) {
      i = after;
      continue;
    }
    i = (run[run.length - 1] ?? i) + 1;
  }
  return out;
}

/** Indices of the cell lines starting at line i (blank lines between them skipped). */
function cellRun(lines: Line[], i: number): number[] {
  const start = lines[i];
  if (!isLive(start) || start.text === "" || start.level > 0 || !isCell(start.text)) return [];
  const run: number[] = [];
  let gap = 0;
  for (let j = i; j < lines.length; j++) {
    const l = lines[j];
    if (!isLive(l)) continue;
    if (l.text === "") {
      if (++gap > MAX_GAP) break;
      continue;
    }
    if (l.level > 0 || !isCell(l.text)) break;
    run.push(j);
    gap = 0;
  }
  return run;
}
