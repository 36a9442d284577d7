/**
 * A saved web page → its main content and what the page says about itself. The main
 * content is found by Mozilla's Readability (the Firefox reader view) on a linkedom DOM,
 * which drops navigation, menus, breadcrumbs, cookie banners, share widgets, asides and
 * footers by their structure instead of by hand-written tag rules; measured against the
 * old tag stripping in scripts/measure-html.ts. The title comes from the page's <h1>,
 * og:title or <title> (minus the site name), the date from article:published_time, a
 * <time> element or similar meta tags, the url from <link rel=canonical>.
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { findDates } from "../src/text/dates.js";

export interface WebPageMeta {
  title: string | null;
  /** ISO date (YYYY-MM-DD) the page was published, else last modified. */
  publishedDate: string | null;
  /** The page's canonical http(s) address. */
  url: string | null;
  siteName: string | null;
}

export interface WebPage {
  meta: WebPageMeta;
  /** HTML of the main content, the title as its <h1>. */
  html: string;
  /** True when Readability found the main content; false means the whole body minus chrome. */
  readable: boolean;
}

// linkedom's DOM, typed as narrowly as this module uses it (no DOM lib in this project).
interface El {
  textContent: string | null;
  innerHTML: string;
  tagName: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
  closest(selector: string): El | null;
  remove(): void;
}
interface Doc extends El {
  title: string;
  body: El | null;
}

const text = (el: El | null | undefined) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();

function parse(html: string): Doc {
  // linkedom needs a whole document; a fragment is wrapped in one.
  const whole = /<html[\s>]/i.test(html) ? html : `<!DOCTYPE html><html><body>${html}</body></html>`;
  return parseHTML(whole).document as unknown as Doc;
}

function meta(doc: Doc, ...keys: string[]): string | null {
  for (const key of keys) {
    for (const attr of ["property", "name", "itemprop"]) {
      const v = doc.querySelector(`meta[${attr}="${key}"]`)?.getAttribute("content")?.trim();
      if (v) return v;
    }
  }
  return null;
}

const SEPARATORS = /\s+[|–—·•:-]\s+|\s+[|»›]\s*/;

/** "KKR Sjælland holdt møde | KL" → "KKR Sjælland holdt møde" (the part that is not the site). */
export function stripSiteName(title: string, siteName: string | null): string {
  const parts = title
    .split(SEPARATORS)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length < 2) return title.trim();
  const site = siteName?.toLowerCase().trim();
  const own = parts.filter((p) => p.toLowerCase() !== site);
  // Without a known site name the site is the last part ("Titel | Sitet").
  const kept = own.length < parts.length ? own : parts.slice(0, -1);
  return kept.join(" – ") || title.trim();
}

/** The page's own heading: the first <h1> in the main area, else outside header/nav/footer. */
function mainHeading(doc: Doc): string | null {
  const inMain = doc.querySelector("main h1, article h1, [role=main] h1");
  if (inMain && text(inMain)) return text(inMain);
  for (const h of doc.querySelectorAll("h1")) {
    if (!h.closest("header, nav, footer, aside, [role=banner], [role=navigation]") && text(h)) return text(h);
  }
  return null;
}

function pageTitle(doc: Doc, siteName: string | null): string | null {
  const h1 = mainHeading(doc);
  const site = siteName?.toLowerCase();
  if (h1 && h1.length >= 3 && h1.toLowerCase() !== site) return h1;
  const og = meta(doc, "og:title", "twitter:title", "dc.title", "DC.title");
  if (og) return stripSiteName(og, siteName);
  const t = doc.title?.trim();
  return t ? stripSiteName(t, siteName) : null;
}

const isoDay = (s: string | null | undefined) => {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(s?.trim() ?? "");
  if (m?.[1]) return m[1];
  const d = s ? findDates(s).find((x) => x.precision === "day") : undefined;
  return d?.iso ?? null;
};

function publishedDate(doc: Doc, fromReadability: string | null | undefined): string | null {
  const published =
    meta(
      doc,
      "article:published_time",
      "datePublished",
      "date",
      "DC.date",
      "dc.date",
      "dcterms.created",
      "DC.date.issued",
      "pubdate",
    ) ?? fromReadability;
  const time = doc.querySelector(
    "main time[datetime], article time[datetime], time[pubdate], time[datetime]",
  );
  const modified = meta(doc, "article:modified_time", "dateModified", "dcterms.modified", "last-modified");
  return isoDay(published) ?? isoDay(time?.getAttribute("datetime") ?? null) ?? isoDay(modified);
}

function canonicalUrl(doc: Doc): string | null {
  const href =
    doc.querySelector('link[rel="canonical"]')?.getAttribute("href")?.trim() ?? meta(doc, "og:url") ?? "";
  return /^https?:\/\/\S+$/i.test(href) ? href : null;
}

/** The body without page chrome, for pages Readability cannot read (lists, short pages). */
const CHROME =
  'header, nav, footer, aside, form, script, style, noscript, template, [role=navigation], [role=banner], [role=contentinfo], [role=search], [aria-hidden="true"]';
const CHROME_NAMES =
  /cookie|consent|gdpr|breadcrumb|brødkrumme|share|social|skip|menu|related|newsletter-signup/i;

function removeChrome(body: El): void {
  for (const el of [...body.querySelectorAll(CHROME)]) el.remove();
  for (const el of [...body.querySelectorAll("[class], [id]")]) {
    const names = `${el.getAttribute("class") ?? ""} ${el.getAttribute("id") ?? ""}`;
    const tag = el.tagName.toLowerCase();
    if (CHROME_NAMES.test(names) && tag !== "main" && tag !== "article") el.remove();
  }
}

/** Readability turns the page's <h1> into an <h2>; the title heading is put back at level 1. */
function titleAsH1(content: string, title: string | null): string {
  if (!title) return content;
  const first = /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1>/i.exec(content);
  if (!first || first[1] === "1") return content;
  const inner = text(parse(`<body>${first[2] ?? ""}</body>`).body);
  if (inner !== title) return content;
  return content.replace(first[0], `<h1>${first[2]}</h1>`);
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Readability's result is used when it kept most of the page's text; a page it reads
 * poorly (a calendar or a list page, where it may keep one block) falls back to the body
 * without chrome.
 */
const MIN_SHARE = 0.5;

export function readWebPage(html: string): WebPage {
  const doc = parse(html);
  const siteName = meta(doc, "og:site_name", "application-name");
  const title = pageTitle(doc, siteName);
  const meta_ = { title, publishedDate: null as string | null, url: canonicalUrl(doc), siteName };
  const article = (() => {
    try {
      return new Readability(parse(html) as never, { charThreshold: 100 }).parse();
    } catch {
      return null; // a page Readability chokes on is read without it
    }
  })();
  meta_.publishedDate = publishedDate(doc, article?.publishedTime);
  meta_.siteName ??= article?.siteName ?? null;
  // The other reading: the whole body without chrome (this mutates `doc`, so it comes last).
  if (doc.body) removeChrome(doc.body);
  const fallback = doc.body?.innerHTML ?? "";
  const fallbackText = text(doc.body);
  const articleText = (article?.textContent ?? "").replace(/\s+/g, " ").trim();
  const readable =
    typeof article?.content === "string" &&
    articleText.length > 0 &&
    articleText.length >= MIN_SHARE * fallbackText.length;
  const content = readable ? titleAsH1(String(article?.content), title) : fallback;
  // Readability may drop the heading it took as the title; it goes back on top.
  const shown = readable ? articleText : fallbackText;
  const hasTitle = title !== null && shown.slice(0, 300 + title.length).includes(title);
  return {
    meta: meta_,
    html: title && !hasTitle ? `<h1>${escapeHtml(title)}</h1>\n${content}` : content,
    readable,
  };
}
