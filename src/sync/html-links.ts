/**
 * An HTML page → its links and the text around them, in document order, with htmlparser2
 * (a forgiving streaming parser: real CMS pages are rarely well-formed). What the text
 * means — which meeting a link belongs to — is link-context.ts's job.
 */
import { Parser } from "htmlparser2";

/** Headings, blocks of text and links in the order they appear. */
export type PageEvent =
  | { type: "heading"; level: number; text: string }
  | { type: "block"; text: string }
  | { type: "link"; link: PageLink };

export interface PageLink {
  /** Absolute url without #fragment. */
  href: string;
  /** The link's text (or its image's alt text, title or aria-label). */
  text: string;
  /** Text of the block the link stands in, before it ("Møde 11. november 2020:" in "Møde …: <a>Dagsorden</a>"). */
  lead: string;
}

export interface ParsedPage {
  title: string;
  events: PageEvent[];
  links: PageLink[];
  /** <meta name="robots" content="nofollow"> (or "none"): links on the page are not followed. */
  nofollow: boolean;
  /** <meta name="robots" content="noindex">: the page itself is not saved as a document. */
  noindex: boolean;
}

const HEADINGS: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
const BLOCKS = new Set([
  "p",
  "div",
  "li",
  "ul",
  "ol",
  "td",
  "th",
  "tr",
  "table",
  "dt",
  "dd",
  "dl",
  "section",
  "article",
  "header",
  "footer",
  "main",
  "aside",
  "nav",
  "details",
  "summary",
  "caption",
  "figcaption",
  "figure",
  "blockquote",
  "pre",
  "address",
  "button",
  "label",
  "legend",
  "fieldset",
  "form",
  "body",
]);
const SKIPPED = new Set(["script", "style", "noscript", "template", "svg"]);

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

function resolveHref(href: string, base: string): string | null {
  const trimmed = href.trim();
  if (trimmed === "" || /^(?:javascript|mailto|tel|data):/i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed, base);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    url.hash = "";
    return url.href;
  } catch {
    return null;
  }
}

interface OpenBlock {
  tag: string;
  level: number | null;
  text: string;
  /** The text outside links: a list item holding a link is that link, not a heading above others. */
  plain: string;
}

interface OpenLink {
  href: string;
  text: string;
  fallback: string;
  lead: string;
}

export function parsePage(html: string, pageUrl: string): ParsedPage {
  let base = pageUrl;
  const events: PageEvent[] = [];
  const links: PageLink[] = [];
  const blocks: OpenBlock[] = [{ tag: "#root", level: null, text: "", plain: "" }];
  let link: OpenLink | null = null;
  let skipping = 0;
  let inTitle = false;
  let title = "";
  const robots = new Set<string>();

  const emit = (block: OpenBlock) => {
    if (block.level !== null) {
      const text = squash(block.text);
      if (text !== "") events.push({ type: "heading", level: block.level, text });
      return;
    }
    const text = squash(block.plain);
    if (text !== "") events.push({ type: "block", text });
  };
  const addText = (text: string) => {
    const top = blocks[blocks.length - 1];
    if (top) {
      top.text += text;
      if (!link) top.plain += text;
    }
    if (link) link.text += text;
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (SKIPPED.has(name)) {
          skipping++;
          return;
        }
        if (skipping > 0) return;
        if (name === "title") inTitle = true;
        if (name === "base" && attrs.href) base = resolveHref(attrs.href, pageUrl) ?? base;
        if (name === "meta" && attrs.name?.toLowerCase() === "robots") {
          for (const word of (attrs.content ?? "").toLowerCase().split(/[\s,]+/)) robots.add(word);
        }
        if (name === "br") addText("\n");
        if (name === "img" && link && attrs.alt) link.fallback ||= attrs.alt;
        const level = HEADINGS[name];
        if (level !== undefined || BLOCKS.has(name)) {
          // A new block ends the text of the one around it, so a wrapper's own words are not
          // glued to the words after its children.
          addText(" ");
          blocks.push({ tag: name, level: level ?? null, text: "", plain: "" });
        }
        if (name === "a" && attrs.href !== undefined) {
          const href = resolveHref(attrs.href, base);
          if (href !== null) {
            link = {
              href,
              text: "",
              fallback: attrs.title ?? attrs["aria-label"] ?? "",
              lead: squash(blocks[blocks.length - 1]?.plain ?? ""),
            };
          }
        }
      },
      ontext(text) {
        if (skipping > 0) {
          return;
        }
        if (inTitle) {
          title += text;
          return;
        }
        addText(text);
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skipping = Math.max(0, skipping - 1);
          return;
        }
        if (skipping > 0) return;
        if (name === "title") inTitle = false;
        if (name === "a" && link) {
          const done: PageLink = {
            href: link.href,
            text: squash(link.text) || squash(link.fallback),
            lead: link.lead,
          };
          links.push(done);
          events.push({ type: "link", link: done });
          link = null;
        }
        if (HEADINGS[name] !== undefined || BLOCKS.has(name)) {
          // Close up to the matching open tag (htmlparser2 reports implied closes, too).
          for (let i = blocks.length - 1; i > 0; i--) {
            if (blocks[i]?.tag !== name) continue;
            for (const block of blocks.splice(i).reverse()) emit(block);
            addText(" ");
            break;
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  for (const block of blocks.splice(0).reverse()) emit(block);
  return {
    title: squash(title),
    events,
    links,
    nofollow: robots.has("nofollow") || robots.has("none"),
    noindex: robots.has("noindex") || robots.has("none"),
  };
}
