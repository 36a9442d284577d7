/**
 * Page furniture of text saved from web pages: skip links, search boxes, menus and
 * breadcrumbs at the top, share widgets, log-in and paywall lines at the bottom, cookie
 * notices, document-viewer controls. Recognised by the form of the line (vocabulary of page
 * chrome, separators of a menu), never by a particular site's wording of its content.
 */
import { isLive, LIST_ITEM, type Line, nextText, remove } from "./lines.js";

/** Lines that are page chrome wherever they stand. */
const ALWAYS = [
  // skip links
  /^(?:gå|spring|skip|hop|jump)\s+(?:direkte\s+)?(?:til|over|to)\s+(?:(?:sidens|hoved|primært|main|primary)\s*)?(?:indhold(?:et)?|navigation(?:en)?|menu(?:en)?|content|søgning(?:en)?)$/i,
  // share and print widgets
  /^(?:del|share)(?:\s+(?:artikel(?:en)?|siden|nyheden|this(?:\s+(?:page|article))?|på\s+\p{L}+|on\s+\p{L}+))?:?$/iu,
  /^(?:udskriv|print)(?:\s+(?:siden|artikel(?:en)?|this page))?$/i,
  // cookie notices
  /^(?=.{0,400}$)(?=.*\bcookies?\b)(?=.*\b(?:accept\p{L}*|tillad\p{L}*|afvis\p{L}*|samtykke|consent|indstillinger|settings|bruger vi|anvender vi|we use|bruger cookies|anvender cookies|benytter cookies)\b).*/iu,
  /^(?:accepter|acceptér|accept|tillad|afvis|decline|reject)(?:\s+(?:alle|all|nødvendige|necessary|valgte|selected))?(?:\s+cookies)?$/i,
  // document-viewer controls of pages that show a PDF as text
  /^(?:størrelse|size):\s*px$/i,
  /^(?:start(?:e)?\s+visningen\s+fra\s+side|start\s+(?:the\s+)?view(?:ing)?\s+(?:from|at)\s+page):?$/i,
  // "Luk alle punkter", "fold dette punkt ind": accordion controls
  /^(?:luk|åbn|fold|vis|skjul)\s+(?:alle\s+punkter|dette\s+punkt(?:\s+(?:ind|ud))?)$/i,
];

const CONTENTS = /^(?:indhold|indholdsfortegnelse|contents?|på denne side|on this page|sektioner)$/i;

/** Lines that are page chrome at the top or bottom of a page (elsewhere they may be content). */
const AT_EDGES = [
  /^(?:søg|search|søg her|søg på siden|søg på kl\.dk|søgning|hvad søger du\??|skriv hvad du søger|indtast søgeord|search for)\.{0,3}$/i,
  /^(?:menu|hovedmenu|luk menu|åbn menu|luk|close|navigation|genveje|a-å|a-z|lyt|læs op|listen|english|dansk|in english|på dansk|kontakt|kontakt os|contact|forside(?:n)?|til forsiden|tilbage|back|log ind|log ud|login|log in|sign in|min side|abonnér|tilmeld nyhedsbrev)$/i,
  CONTENTS,
  /^(?:download|hent)\b.{0,300}$/i,
  /^(?:transkript(?:ion)?|transcript|tekstversion)$/i,
  /^(?:artiklen|indholdet|siden)\s+kan\s+kun\s+læses\b/i,
  /^(?:har du ikke et abonnement|hvis du har glemt din adgangskode|allerede abonnent|bliv abonnent|køb adgang|du er ikke logget ind)\b/i,
  /^(?:du er her|you are here)\s*:/i,
  /^(?:læs mere|læs hele artiklen|se mere|se alle|vis flere|read more)$/i,
  /^(?:relaterede|related|se også|læs også)(?:\s+(?:artikler|nyheder|sider|links))?:?$/i,
  /^(?:sidst opdateret|senest opdateret|opdateret)\s*:?\s*$/i,
];

/**
 * A menu or breadcrumb: short segments between separators — at least three with › > » /
 * (a breadcrumb), at least four with | (a table row has fewer cells, or is not alone).
 */
function isMenuLine(t: string): boolean {
  if (t.length > 250) return false;
  const crumbs = t.split(/\s*(?:>|›|»|\s\/\s)\s*/).filter((s) => s !== "");
  const items = t.split(/\s*\|\s*/).filter((s) => s !== "");
  const short = (parts: string[]) => parts.every((s) => s.split(/\s+/).length <= 4 && !/[.!?]$/.test(s));
  return (crumbs.length >= 3 && short(crumbs)) || (items.length >= 4 && short(items));
}

export function isFurnitureLine(t: string, atEdge: boolean): boolean {
  if (t === "" || t.length > 400) return false;
  if (ALWAYS.some((re) => re.test(t))) return true;
  if (!atEdge) return false;
  return isMenuLine(t) || AT_EDGES.some((re) => re.test(t));
}

/** A menu item or breadcrumb step next to furniture: one to three words, no sentence punctuation. */
const isNavItem = (t: string) => t.length <= 40 && t.split(/\s+/).length <= 3 && !/[.,:;!?]$/.test(t);

/** How many short non-furniture lines the edge zone reaches past (a logo, a section label). */
const EDGE_SLACK = 2;

/**
 * Removes web furniture: chrome lines anywhere, and at the top and bottom of the text the
 * lines that are chrome only there (search, menus, "Indhold", log-in and paywall lines),
 * with the menu items that sit in the same block as them. Walks inwards from each end and
 * stops once it has passed a few real lines, so a "Kontakt" heading mid-page stays.
 */
export function removeWebFurniture(lines: Line[]): void {
  stripEdge(lines, 1);
  stripEdge(lines, -1);
  for (const l of lines) if (isLive(l) && isFurnitureLine(l.text, false)) remove(l);
  dropRepeatedLines(lines);
}

function stripEdge(lines: Line[], step: 1 | -1): void {
  let kept = 0;
  let afterFurniture = false;
  let navInBlock = false;
  let i = step === 1 ? 0 : lines.length - 1;
  for (; i >= 0 && i < lines.length && kept <= EDGE_SLACK; i += step) {
    const l = lines[i];
    if (!isLive(l)) continue;
    if (l.text === "") {
      afterFurniture = false;
      navInBlock = false;
      continue;
    }
    if (isFurnitureLine(l.text, true) && !titlesAList(lines, i)) {
      remove(l);
      afterFurniture = true;
      continue;
    }
    // "Gå til hovedindhold / KKR / Politik": two or more menu items in the block of a skip link.
    if (
      afterFurniture &&
      step === 1 &&
      kept === 0 &&
      isNavItem(l.text) &&
      (navInBlock || navRunLength(lines, i) >= 2)
    ) {
      remove(l);
      navInBlock = true;
      continue;
    }
    // Past a paragraph the page's chrome is behind us; a few short lines (a logo, a title) may precede it.
    kept = /[.!?]$/.test(l.text) || l.text.length > 80 ? EDGE_SLACK + 1 : kept + 1;
    afterFurniture = false;
    navInBlock = false;
  }
}

/** "Indhold" above a list is the title of a table of contents, not a skip link. */
function titlesAList(lines: Line[], i: number): boolean {
  if (!CONTENTS.test(lines[i]?.text ?? "")) return false;
  const { at } = nextText(lines, i);
  return LIST_ITEM.test(lines[at]?.text ?? "");
}

/** Menu items and chrome lines in a row from line i to the end of its block. */
function navRunLength(lines: Line[], i: number): number {
  let n = 0;
  for (let j = i; j < lines.length; j++) {
    const l = lines[j];
    if (!isLive(l)) continue;
    if (l.text === "" || !(isNavItem(l.text) || isFurnitureLine(l.text, true))) break;
    n++;
  }
  return n;
}

/** A caption printed twice (image alt text and caption): the second copy goes. */
function dropRepeatedLines(lines: Line[]): void {
  let prev: Line | undefined;
  for (const l of lines) {
    if (!isLive(l) || l.text === "") continue;
    if (prev && prev.text === l.text && l.text.length >= 40) remove(l);
    else prev = l;
  }
}
