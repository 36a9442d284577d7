import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const REGIONS = ["Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"];
const TOPICS = [
  ["Rammeaftale", "specialiserede socialområde", "styring og kapacitet", "tværsektoriel kobling"],
  ["Erhvervshus", "resultatkontrakt", "virksomheder", "vejledning og grøn omstilling"],
  ["DK2020", "klimahandleplaner", "Parisaftalen", "klimakoordinator"],
  ["Sundhedsaftale", "akutfunktioner", "almen praksis", "det nære sundhedsvæsen"],
  ["Uddannelse", "praktikpladser", "pædagoguddannelsen", "dimensionering"],
  ["Trafik", "kollektiv trafik", "infrastruktur", "trafikselskaber"],
];
const NAMES = [
  "Anne Hansen",
  "Peter Jensen",
  "Mette Nielsen",
  "Lars Pedersen",
  "Karen Andersen",
  "Søren Christensen",
];
const MONTHS = [
  "januar",
  "februar",
  "marts",
  "april",
  "maj",
  "juni",
  "august",
  "september",
  "oktober",
  "november",
];

/** Deterministic pseudo-random numbers, so benchmark corpora are the same every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A synthetic agenda in the shape of real KKR dagsordener: header with date and place,
 * numbered items with Baggrund / Indstilling / Sagsfremstilling and lists of appointees.
 */
export function syntheticAgenda(i: number, items = 8): string {
  const r = rng(i + 1);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  const region = pick(REGIONS);
  const year = 2015 + (i % 10);
  const day = 1 + Math.floor(r() * 27);
  const lines = [
    `# DAGSORDEN KKR ${region.toUpperCase()}`,
    "",
    `Dato: ${day}. ${pick(MONTHS)} ${year}`,
    `Sted: ${pick(["Odense", "Sorø", "Vejle", "Aalborg", "Teams"])}`,
    "",
  ];
  for (let n = 1; n <= items; n++) {
    const [topic, a, b, c] = pick(TOPICS) as [string, string, string, string];
    lines.push(`## ${n}. ${topic} og ${a} (sag ${i}-${n})`, "", "### Baggrund", "");
    lines.push(
      `KKR ${region} drøftede ${a} med fokus på ${b}. ${pick(NAMES)} fra ${pick(["Assens", "Køge", "Aarhus", "Hjørring", "Gentofte"])} Kommune gav et oplæg om ${c}. Der er afsat ${Math.floor(r() * 90) + 1} mio. kr. til indsatsen i perioden ${year}-${year + 2}, og ${Math.floor(r() * 17) + 1} kommuner deltager.`,
      "",
      "### Indstilling",
      "",
      `Det indstilles, at KKR ${region} tager orienteringen om ${topic.toLowerCase()} til efterretning og drøfter ${b}.`,
      "",
      "### Sagsfremstilling",
      "",
      `Arbejdet med ${a} fortsætter i ${year + 1}. Følgende er udpeget:`,
      "",
      `- ${topic} ved ${pick(NAMES)}, ${pick(["Assens", "Køge", "Aarhus", "Hjørring"])}`,
      `- Styregruppen ved ${pick(NAMES)}, ${pick(["Odense", "Vejle", "Roskilde"])}`,
      `- Sekretariatet ved ${pick(NAMES)}, KL`,
      "",
      `Den videre proces for ${c} forventes afsluttet den ${day}. ${pick(MONTHS)} ${year + 1}. Erfaringerne deles med de øvrige KKR.`,
      "",
    );
  }
  return lines.join("\n");
}

/** Writes `count` agendas into `dir` (nested in subfolders like a real archive). */
export function writeSyntheticCorpus(dir: string, count: number, items = 8): void {
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `aar-${2015 + (i % 10)}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `dagsorden-${String(i).padStart(5, "0")}.md`), syntheticAgenda(i, items));
  }
}

/** Writes `count` agendas as multi-page PDFs (pdfkit) with a running header and page footers. */
export async function writeSyntheticPdfs(dir: string, count: number, items = 8): Promise<void> {
  const { makePdf } = await import("./make-pdf.js");
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const text = syntheticAgenda(i, items).replace(/^#+ /gm, "");
    const pages = text.match(/[\s\S]{1,2500}(?:\n|$)/g) ?? [text];
    writeFileSync(
      join(dir, `dagsorden-${String(i).padStart(5, "0")}.pdf`),
      await makePdf({ pages, header: "KKR · Dagsorden" }),
    );
  }
}
