/**
 * How well ingest reads the realistic web-page corpus: parses every document of
 * ../shared/corpus-web (or DIR) and compares title, kind, region, dates, place and the
 * meetings found with bench/corpus-web-expected.json (what a careful reader takes from each).
 *
 *   node --import tsx scripts/check-corpus-web.ts [DIR] [--root PROJECT] [--verbose]
 *
 * `--root` points at another checkout (e.g. an older commit unpacked in /tmp) to measure it
 * the same way; a checkout whose parser reports no meetings is scored by each document's
 * meeting date, as its `kkr meetings` listed them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

interface Expected {
  title: string;
  kind: string;
  region: string | null;
  publishedDate: string | null;
  meetingDate: string | null;
  place: string | null;
  meetings: string[];
  meetingPlaces?: Record<string, string>;
}

interface Parsed {
  meta: {
    title: string;
    kind: string;
    region: string | null;
    publishedDate: string | null;
    meetingDate: string | null;
    place: string | null;
  };
  meetings?: { date: string; body: string; place: string | null }[];
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const verbose = args.includes("--verbose");
const here = resolve(import.meta.dirname, "..");
const root = resolve(flag("--root") ?? here);
const dir = resolve(args.find((a) => !a.startsWith("--")) ?? join(here, "..", "shared", "corpus-web"));
const expected = JSON.parse(readFileSync(join(here, "bench", "corpus-web-expected.json"), "utf8")) as Record<
  string,
  Expected
>;

const { parseDocument } = (await import(pathToFileURL(join(root, "ingest", "parse-document.ts")).href)) as {
  parseDocument: (
    raw: { format: string; pages: string[] },
    ctx: { source: string; fileName: string },
  ) => Parsed;
};

const FIELDS = ["title", "kind", "region", "dates", "place"] as const;
const right: Record<(typeof FIELDS)[number], number> = { title: 0, kind: 0, region: 0, dates: 0, place: 0 };
let meetingsExpected = 0;
let meetingsFound = 0;
let meetingsBodyRight = 0;
let meetingsExtra = 0;
let meetingPlacesRight = 0;
let meetingPlacesExpected = 0;
let docs = 0;

for (const file of readdirSync(dir).sort()) {
  const want = expected[file];
  if (!want) continue;
  docs++;
  const format = file.endsWith(".md") ? "markdown" : /\.html?$/.test(file) ? "html" : "text";
  const parsed = parseDocument(
    { format, pages: [readFileSync(join(dir, file), "utf8")] },
    { source: file, fileName: file },
  );
  const m = parsed.meta;
  const ok = {
    title: m.title === want.title,
    kind: m.kind === want.kind,
    region: m.region === want.region,
    dates: m.publishedDate === want.publishedDate && m.meetingDate === want.meetingDate,
    place: m.place === want.place,
  };
  for (const f of FIELDS) if (ok[f]) right[f]++;
  // Meetings: the parser's own list, or (older parsers) the document's meeting date.
  const found =
    parsed.meetings ??
    (m.meetingDate && m.region ? [{ date: m.meetingDate, body: `KKR ${m.region}`, place: m.place }] : []);
  const wantDates = new Map(want.meetings.map((s) => [s.slice(0, 10), s.slice(11)]));
  meetingsExpected += wantDates.size;
  for (const x of found) {
    const body = wantDates.get(x.date);
    if (body === undefined) meetingsExtra++;
    else {
      meetingsFound++;
      if (body === x.body) meetingsBodyRight++;
    }
  }
  for (const [date, place] of Object.entries(want.meetingPlaces ?? {})) {
    meetingPlacesExpected++;
    if (found.some((x) => x.date === date && x.place === place)) meetingPlacesRight++;
  }
  const wrong = FIELDS.filter((f) => !ok[f]);
  if (verbose || wrong.length > 0) {
    console.log(`${wrong.length === 0 ? "ok  " : "MISS"} ${file}`);
    for (const f of wrong) {
      const got =
        f === "dates"
          ? `published ${m.publishedDate}, meeting ${m.meetingDate}`
          : String(m[f as keyof typeof m]);
      const exp =
        f === "dates"
          ? `published ${want.publishedDate}, meeting ${want.meetingDate}`
          : String(want[f as keyof Expected]);
      console.log(`       ${f}: got "${got}", want "${exp}"`);
    }
  }
}

const pct = (n: number) => `${n}/${docs}`;
console.log(`\n${dir} (${docs} documents, parser at ${root})`);
console.log(
  `real title ${pct(right.title)} · right kind ${pct(right.kind)} · region ${pct(right.region)} · dates ${pct(right.dates)} · place ${pct(right.place)}`,
);
console.log(
  `meetings found ${meetingsFound}/${meetingsExpected} (right body ${meetingsBodyRight}), not expected ${meetingsExtra}; calendar places ${meetingPlacesRight}/${meetingPlacesExpected}`,
);
