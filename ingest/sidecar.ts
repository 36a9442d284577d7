/**
 * Optional metadata supplied next to the documents: `NAME.json` beside a file, or one
 * `sources.csv` at the top of the folder. They give the `url` answers link to and can
 * override what was read from the content. A bad sidecar is reported and ignored: it
 * must never stop an ingest.
 */
import type { Dirent } from "node:fs";
import { readdir, realpath } from "node:fs/promises";
import { extname, join, posix, resolve } from "node:path";
import { z } from "zod";
import { describeError } from "../src/errors.js";
import { readFileInside } from "../src/files/inside-folder.js";
import { type Logger, silentLogger } from "../src/logger.js";
import { DOC_KINDS, type DocumentMeta, REGIONS, type Region } from "../src/types.js";
import { decodeText } from "./decode.js";
import { isJsonSidecarName, SOURCES_CSV } from "./walk.js";

export type SidecarMeta = Partial<DocumentMeta>;

export interface SidecarIndex {
  /** JSON sidecars keyed by the sidecar's path minus ".json" ("a/foo.pdf" or "a/foo"). */
  json: Map<string, SidecarMeta>;
  /** sources.csv rows keyed by the document's relative path. */
  csv: Map<string, SidecarMeta>;
  /** Sidecars (or CSV rows) that were ignored, with why; also logged as warnings. */
  problems: { source: string; reason: string }[];
}

const fold = (s: string) =>
  s.trim().toLowerCase().replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa").replace(/\s+/g, " ");

/** "syddanmark", "KKR Sjaelland", "alle" → the canonical Region. */
function toRegion(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const key = fold(value).replace(/^kkr /, "");
  if (key === "all" || key === "alle") return "all";
  return REGIONS.find((r) => fold(r) === key) ?? value;
}

const toLower = (value: unknown) => (typeof value === "string" ? value.trim().toLowerCase() : value);
/** "other" was the kind of pages before `side` (and `nyhed`, `mødeplan`, `udpegning`) existed. */
const toKind = (value: unknown) => {
  const v = toLower(value);
  return v === "other" ? "side" : v;
};
const trimmed = (value: unknown) => (typeof value === "string" ? value.trim() : value);

const isRealDate = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso);
};
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD")
  .refine(isRealDate, "not a real date");
const isoPartial = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, "must be YYYY, YYYY-MM or YYYY-MM-DD")
  .refine(
    (s) => isRealDate(s.length === 4 ? `${s}-01-01` : s.length === 7 ? `${s}-01` : s),
    "not a real date",
  );

const regionSchema = z.enum([...REGIONS, "all"] as [Region, ...Region[]]);

/** Every field optional; null clears a nullable field. Unknown keys are dropped. */
const sidecarSchema = z.object({
  url: z.preprocess(
    trimmed,
    z
      .url({ protocol: /^https?$/ })
      .nullable()
      .optional(),
  ),
  title: z.preprocess(trimmed, z.string().min(1).optional()),
  region: z.preprocess(toRegion, regionSchema.nullable().optional()),
  kind: z.preprocess(toKind, z.enum(DOC_KINDS).optional()),
  meetingDate: z.preprocess(trimmed, isoDay.nullable().optional()),
  publishedDate: z.preprocess(trimmed, isoPartial.nullable().optional()),
  place: z.preprocess(trimmed, z.string().min(1).nullable().optional()),
});

const CSV_FIELDS = ["url", "title", "region", "kind", "meetingDate", "publishedDate", "place"] as const;

function validate(value: unknown): { ok: true; meta: SidecarMeta } | { ok: false; reason: string } {
  const parsed = sidecarSchema.safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    return { ok: false, reason };
  }
  const meta: SidecarMeta = {};
  for (const [key, v] of Object.entries(parsed.data)) {
    if (v !== undefined) (meta as Record<string, unknown>)[key] = v;
  }
  return { ok: true, meta };
}

const toPosix = (p: string) =>
  p
    .replace(/\\/g, "/")
    .replace(/^(\.\/)+/, "")
    .replace(/^\/+/, "");

/** Reads every JSON sidecar under `dir` and the top-level sources.csv. Never throws on bad content. */
export async function loadSidecars(dir: string, logger: Logger = silentLogger): Promise<SidecarIndex> {
  const root = resolve(dir);
  const index: SidecarIndex = { json: new Map(), csv: new Map(), problems: [] };
  const problem = (source: string, reason: string) => {
    index.problems.push({ source, reason });
    logger.warn({ sidecar: source, reason }, "ignoring invalid sidecar");
  };

  let all: string[];
  let rootReal: string;
  try {
    rootReal = await realpath(root);
    all = await listTree(root);
  } catch {
    return index; // a missing folder is walkDocuments' error to report
  }
  const visible = all.filter((p) => !p.split("/").some((seg) => seg.startsWith(".")));
  const namesByDir = new Map<string, Set<string>>();
  for (const p of visible) {
    const d = posix.dirname(p);
    const names = namesByDir.get(d) ?? new Set<string>();
    namesByDir.set(d, names);
    names.add(posix.basename(p));
  }

  for (const p of visible.sort()) {
    const name = posix.basename(p);
    if (!isJsonSidecarName(name, namesByDir.get(posix.dirname(p)) ?? new Set())) continue;
    let value: unknown;
    try {
      value = JSON.parse(decodeText(await readFileInside(rootReal, join(root, p))).text);
    } catch (error) {
      problem(p, `not valid JSON: ${describeError(error)}`);
      continue;
    }
    const result = validate(value);
    if (result.ok) index.json.set(p.slice(0, -".json".length), result.meta);
    else problem(p, result.reason);
  }

  if (visible.includes(SOURCES_CSV)) {
    try {
      loadSourcesCsv(
        decodeText(await readFileInside(rootReal, join(root, SOURCES_CSV))).text,
        index,
        problem,
      );
    } catch (error) {
      problem(SOURCES_CSV, `cannot read: ${describeError(error)}`);
    }
  }
  return index;
}

/**
 * Every path under `root` (relative, forward slashes). Symlinks are not followed, so it
 * cannot loop; a subfolder that can't be read is left out rather than losing every
 * sidecar (recursive readdir would throw).
 */
async function listTree(root: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(rel ? join(root, rel) : root, { withFileTypes: true });
  } catch (error) {
    if (rel === "") throw error;
    return out;
  }
  for (const e of entries) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    out.push(p);
    if (e.isDirectory()) out.push(...(await listTree(root, p)));
  }
  return out;
}

function loadSourcesCsv(text: string, index: SidecarIndex, problem: (s: string, r: string) => void): void {
  const newline = text.indexOf("\n");
  const firstLine = newline < 0 ? text : text.slice(0, newline);
  // Danish Excel saves "CSV" with semicolons; take whichever separates the header.
  const delimiter = !firstLine.includes(",") && firstLine.includes(";") ? ";" : ",";
  const rows = parseCsv(text, delimiter);
  const header = rows.shift()?.map((h) => h.trim().toLowerCase());
  const fileCol = header?.indexOf("file") ?? -1;
  if (!header || fileCol < 0) {
    problem(SOURCES_CSV, "no `file` column in the header row");
    return;
  }
  const columns = CSV_FIELDS.map((field) => [field, header.indexOf(field.toLowerCase())] as const).filter(
    ([, i]) => i >= 0,
  );
  rows.forEach((row, i) => {
    const file = toPosix(row[fileCol]?.trim() ?? "");
    if (file === "") {
      if (row.some((cell) => cell.trim() !== "")) problem(`${SOURCES_CSV} row ${i + 2}`, "empty `file` cell");
      return;
    }
    // An empty cell means "not given", not "clear it".
    const record: Record<string, string> = {};
    for (const [field, col] of columns) {
      const cell = row[col]?.trim();
      if (cell) record[field] = cell;
    }
    const result = validate(record);
    if (result.ok) index.csv.set(file, result.meta);
    else problem(`${SOURCES_CSV} row ${i + 2} (${file})`, result.reason);
  });
}

/**
 * RFC 4180 CSV: quoted fields may hold the delimiter, newlines and doubled quotes. Blank
 * lines stay as [""] rows so row numbers in warnings match what a spreadsheet shows.
 */
export function parseCsv(text: string, delimiter = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The sidecar fields for one document: sources.csv, overridden field by field by its JSON sidecar. */
export function sidecarFor(index: SidecarIndex, source: string): SidecarMeta {
  const stemKey = source.slice(0, source.length - extname(source).length);
  const json = index.json.get(source) ?? index.json.get(stemKey);
  return { ...index.csv.get(source), ...json };
}

/** Stable JSON of a sidecar (sorted keys), cheap to store and compare for change detection. */
export function sidecarFingerprint(meta: SidecarMeta): string {
  const entries = Object.entries(meta)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}
