/**
 * Which urls belong to a source: the hosts it may touch, the pages it crawls for links,
 * the links that are documents (files by extension, article pages by pattern).
 */
import { extname } from "node:path";
import type { Source } from "./sources.js";

const underPrefix = (path: string, prefix: string) => {
  const p = prefix.replace(/\/+$/, "");
  return p === "" || path === p || path.startsWith(`${p}/`);
};

export class SourceScope {
  readonly hosts: ReadonlySet<string>;
  readonly start: URL;

  constructor(readonly source: Source) {
    this.start = new URL(source.url);
    this.hosts = new Set([this.start.host.toLowerCase(), ...source.hosts]);
  }

  /** On one of the source's hosts (scheme changes http ↔ https are fine). */
  onHost(url: URL): boolean {
    return this.hosts.has(url.host.toLowerCase());
  }

  /** Passes the include and exclude patterns (the start page always does). */
  wanted(url: URL): boolean {
    if (url.href === this.start.href) return true;
    const { include, exclude } = this.source;
    if (exclude.some((re) => re.test(url.href))) return false;
    return include.length === 0 || include.some((re) => re.test(url.href));
  }

  /** The document extension (".pdf") when the url is a file the source saves, else null. */
  documentExtension(url: URL): string | null {
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    const ext = extname(path).toLowerCase();
    return this.source.documents.includes(ext) ? ext : null;
  }

  /** An HTML page saved as a document (a news article) rather than crawled. */
  isArticle(url: URL): boolean {
    return url.href !== this.start.href && this.source.pages.some((re) => re.test(url.href));
  }

  /** A page to crawl for links: on the source's hosts, under a follow prefix. */
  followable(url: URL): boolean {
    return this.onHost(url) && this.source.follow.some((prefix) => underPrefix(url.pathname, prefix));
  }
}
