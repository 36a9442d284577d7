import { FixtureSite } from "../helpers/fixture-site.js";
import { makePdf } from "../helpers/make-pdf.js";

/**
 * A fixture site modelled on a KKR "mødemateriale" page: meetings as sections ("KKR
 * Syddanmark holdt møde den …") with agenda, minutes and appendix PDFs, a second page
 * reached by pagination, a news article, navigation links and a link to another host.
 * People and bodies are invented.
 */

export const START_PATH = "/kkr-syddanmark/moedemateriale";
export const PATHS = {
  agenda: "/kkr-syddanmark/moedemateriale/filer/dagsorden-2020-11-11.pdf",
  minutes: "/kkr-syddanmark/moedemateriale/filer/referat-2020-11-11.pdf",
  appendix: "/media/4711/bilag-1-budget.pdf",
  juneAgenda: "/kkr-syddanmark/moedemateriale/filer/dagsorden-2020-06-10.pdf",
  news: "/kkr-syddanmark/nyheder/ny-formand",
  page2: `${START_PATH}?page=2`,
  decemberAgenda: "/kkr-syddanmark/moedemateriale/filer/dagsorden-2020-12-03.pdf",
  decemberAppendix: "/media/4712/bilag-2-trafikplan.pdf",
} as const;

export const AGENDA_PAGES = [
  "Dagsorden\nKKR Syddanmark\nMøde onsdag den 11. november 2020\n1. Godkendelse af dagsorden\nDagsordenen godkendes uden bemærkninger.",
  "2. Udpegning til Trafikrådet\nKKR Syddanmark udpeger borgmester Ingrid Testesen, Vejen Kommune, til Trafikrådet for perioden 2021-2024.\nIndstilling:\nDet indstilles, at KKR godkender udpegningen.",
];

const MINUTES_PAGES = [
  "Referat\nKKR Syddanmark\nMøde den 11. november 2020\n2. Udpegning til Trafikrådet\nBeslutning:\nKKR Syddanmark godkendte udpegningen af Ingrid Testesen.",
];
const APPENDIX_PAGES = [
  "Bilag 1: Budget 2021 for Trafikrådet\nBudgettet for Trafikrådet er på 4,2 mio. kr. i 2021.",
];
const JUNE_PAGES = [
  "Dagsorden\nKKR Syddanmark\nMøde den 10. juni 2020\n1. Fælles klimaplaner\nKommunerne arbejder med fælles klimaplaner. Tovholder er direktør Palle Prøvesen, Kolding Kommune.",
];
const DECEMBER_PAGES = [
  "Dagsorden\nKKR Syddanmark\nMøde den 3. december 2020\n1. Ny trafikplan\nKKR Syddanmark drøfter den nye trafikplan med direktør Bodil Opdigtsen, Esbjerg Kommune.",
];

function page(body: string): string {
  return `<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>Mødemateriale – KKR Syddanmark</title>
<script>var tracking = "<a href='/should-not-be-followed'>x</a>";</script></head>
<body>
<nav><a href="/">Forside</a> <a href="/kkr-syddanmark">KKR Syddanmark</a> <a href="#main">Gå til hovedindhold</a></nav>
<main id="main"><h1>Mødemateriale</h1>
${body}
</main>
<footer><a href="mailto:kkr@example.dk">Kontakt</a></footer>
</body></html>`;
}

export interface SiteOptions {
  /** Also list the 3 December 2020 meeting (a new agenda and appendix). */
  december?: boolean;
  /** An extra link (e.g. to another host) at the end of the first page. */
  extraLinks?: string;
}

export function mainPage(options: SiteOptions = {}): string {
  const december = options.december
    ? `<section class="meeting">
  <h2>KKR Syddanmark holder møde den 3. december 2020</h2>
  <ul>
    <li><a href="${PATHS.decemberAgenda}">Dagsorden</a> (PDF)</li>
    <li><a href="${PATHS.decemberAppendix}">Bilag 2: Trafikplan</a></li>
  </ul>
</section>`
    : "";
  return page(`${december}
<section class="meeting">
  <h2>KKR Syddanmark holdt møde den 11. november 2020</h2>
  <p>Mødet blev afviklet virtuelt. Dagsorden, referat og bilag kan ses nedenfor.</p>
  <ul>
    <li><a href="${PATHS.agenda}">Dagsorden</a></li>
    <li><a href="moedemateriale/filer/referat-2020-11-11.pdf">Referat</a></li>
    <li><a href="${PATHS.appendix}">Bilag 1: Budget 2021</a></li>
  </ul>
</section>
<h2>Nyheder</h2>
<ul><li>02.12.2020 <a href="${PATHS.news}">Ny formand for KKR Syddanmark</a></li></ul>
<p><a href="${PATHS.page2}">Ældre møder</a></p>
${options.extraLinks ?? ""}`);
}

const page2 = page(`<div class="meeting">
  <p>KKR Syddanmark holdt møde den 10. juni 2020 kl. 10-12.</p>
  <a href="${PATHS.juneAgenda}" title="Dagsorden 10. juni 2020">Hent PDF</a>
</div>
<p><a href="${START_PATH}">Nyeste møder</a></p>`);

const news = `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Ny formand for KKR Syddanmark</title></head>
<body><nav><a href="/">Forside</a></nav><article>
<h1>Ny formand for KKR Syddanmark</h1>
<p>2. december 2020</p>
<p>Borgmester Karen Eksempelsen, Fredericia Kommune, er valgt som formand for KKR Syddanmark. Hun afløser borgmester Ole Fiktivsen.</p>
</article></body></html>`;

export const ROBOTS_ALLOW = "User-agent: *\nAllow: /\n";

export async function kkrSite(options: SiteOptions = {}): Promise<FixtureSite> {
  const site = await FixtureSite.start();
  await populate(site, options);
  return site;
}

/** (Re)writes every route of the site. */
export async function populate(site: FixtureSite, options: SiteOptions = {}): Promise<void> {
  site.setFile("/robots.txt", ROBOTS_ALLOW, "text/plain");
  site.html(START_PATH, mainPage(options));
  site.html(PATHS.page2, page2);
  site.html(PATHS.news, news);
  site.setFile(PATHS.agenda, await makePdf({ pages: AGENDA_PAGES, header: null }), "application/pdf");
  site.setFile(PATHS.minutes, await makePdf({ pages: MINUTES_PAGES, header: null }), "application/pdf");
  site.setFile(PATHS.appendix, await makePdf({ pages: APPENDIX_PAGES, header: null }), "application/pdf");
  site.setFile(PATHS.juneAgenda, await makePdf({ pages: JUNE_PAGES, header: null }), "application/pdf");
  if (options.december) await addDecember(site);
}

/** Publishes the 3 December 2020 meeting (agenda and appendix) without touching the other files. */
export async function addDecember(site: FixtureSite): Promise<void> {
  site.setFile(
    PATHS.decemberAgenda,
    await makePdf({ pages: DECEMBER_PAGES, header: null }),
    "application/pdf",
  );
  site.setFile(
    PATHS.decemberAppendix,
    await makePdf({ pages: ["Bilag 2: Trafikplan 2021\nPlanen beskriver nye busruter."], header: null }),
    "application/pdf",
  );
  site.html(START_PATH, mainPage({ december: true }));
}

/** The sources file for the site: the start page, and news articles saved as documents. */
export function sourcesFor(site: FixtureSite, extra: Record<string, unknown> = {}) {
  return {
    sources: [
      {
        name: "syddanmark",
        url: site.url(START_PATH),
        region: "Syddanmark",
        pages: ["/nyheder/[^/?]+$"],
        delayMs: 0,
        ...extra,
      },
    ],
  };
}
