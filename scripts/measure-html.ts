/**
 * Main-content extraction measured: how much of a web page's content each HTML reading
 * keeps and how much page chrome (menus, breadcrumbs, cookie banners, share widgets,
 * related links, footers) leaks into the indexed text, on the HTML pages in
 * test/fixtures/web. Compares this checkout with another one (e.g. the hand-written tag
 * stripping of an older commit unpacked in /tmp):
 *
 *   node --import tsx scripts/measure-html.ts [--root OTHER_CHECKOUT]
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Per page: text that is content (must be kept) and text that is chrome (must not be). */
const MARKERS: Record<string, { content: string[]; chrome: string[] }> = {
  "nyhed-kkr-midtjylland-konstituering.html": {
    content: [
      "Ny formand for KKR Midtjylland",
      "Borgmester Hanne Kragsig (A) fra Holstebro er valgt",
      "holdt sit konstituerende møde den 26. januar 2023",
      "Jens Olufsen Brask (V), Skive Kommune, næstformand",
      "Det første ordinære møde i den nye periode holdes i marts.",
    ],
    chrome: [
      "Gå til hovedindhold",
      "Vi bruger cookies",
      "Acceptér alle",
      "Hovedmenu",
      "Søg på siden",
      "Forside",
      "Del artikel",
      "Relaterede nyheder",
      "KKR Nordjylland holder temamøde om klima",
      "Privatlivspolitik",
      "Bygaden 1",
    ],
  },
  "udpegninger-kkr-syddanmark.html": {
    content: [
      "Udpegninger til Sundhedssamarbejdsudvalget",
      "udpegede på sit møde den 8. februar 2024",
      "Birthe Holmgaard (V)",
      "Inger Raben Dal (O)",
      "Udpegningen gælder til udgangen af 2025",
    ],
    chrome: [
      "anvender cookies",
      "Tillad alle cookies",
      "Spring til indhold",
      "Om os",
      "Du er her",
      "Se også",
      "Mødeplan for KKR Syddanmark",
      "Følg os på LinkedIn",
      "Vestergade 3",
    ],
  },
  "moedekalender-kkr-sjaelland.html": {
    content: [
      "Mødekalender",
      "KKR Sjælland holder fem møder i 2025",
      "Onsdag den 5. februar 2025",
      "Næstved Rådhus",
      "Referater offentliggøres senest to uger efter mødet.",
    ],
    chrome: [
      "anvender cookies",
      "Gå til indhold",
      "Om KKR Sjælland",
      "Medlemmer",
      "Kontakt",
      "Vestergade 3",
      "Privatliv",
    ],
  },
};

const args = process.argv.slice(2);
const rootAt = args.indexOf("--root");
const here = resolve(import.meta.dirname, "..");
const other = rootAt >= 0 ? args[rootAt + 1] : undefined;
const roots = [here, ...(other ? [resolve(other)] : [])];
const fixtures = join(here, "test", "fixtures", "web");
const oneLine = (s: string) => s.replace(/\s+/g, " ");

for (const root of roots) {
  const { cleanDocument } = (await import(pathToFileURL(join(root, "ingest", "clean.ts")).href)) as {
    cleanDocument: (raw: { format: "html"; pages: string[] }) => { text: string };
  };
  let kept = 0;
  let content = 0;
  let leaked = 0;
  let chrome = 0;
  let ms = 0;
  const misses: string[] = [];
  for (const [file, markers] of Object.entries(MARKERS)) {
    const html = readFileSync(join(fixtures, file), "utf8");
    const t0 = performance.now();
    const text = oneLine(cleanDocument({ format: "html", pages: [html] }).text);
    ms += performance.now() - t0;
    for (const c of markers.content) {
      content++;
      if (text.includes(c)) kept++;
      else misses.push(`${file}: lost "${c}"`);
    }
    for (const c of markers.chrome) {
      chrome++;
      if (text.includes(c)) {
        leaked++;
        misses.push(`${file}: kept chrome "${c}"`);
      }
    }
  }
  console.log(`${root}`);
  console.log(
    `  content kept ${kept}/${content} · chrome leaked ${leaked}/${chrome} · ${(ms / Object.keys(MARKERS).length).toFixed(1)} ms per page`,
  );
  for (const m of misses) console.log(`    ${m}`);
}
