/**
 * Crawls one source breadth-first from its start page: pages under the follow prefixes on
 * the source's hosts, to the depth limit, robots.txt permitting. Collects the document
 * links (PDFs, article pages) with the context they stand in; downloads nothing itself.
 */
import type { Logger } from "../logger.js";
import type { Fetcher } from "./fetcher.js";
import { parsePage } from "./html-links.js";
import { type LinkContext, linkContexts } from "./link-context.js";
import type { RobotsCache } from "./robots.js";
import type { SourceScope } from "./scope.js";

export interface FoundDocument {
  url: string;
  /** "file": a linked file (PDF…); "page": an HTML page saved as a document. */
  type: "file" | "page";
  /** Extension the saved file gets (".pdf", ".html"). */
  ext: string;
  /** The page the link was found on. */
  foundOn: string;
  context: LinkContext | null;
}

export interface CrawlResult {
  pages: number;
  documents: FoundDocument[];
  failed: { url: string; reason: string }[];
  /** Every page was read: only then may a document missing from the site be pruned. */
  complete: boolean;
}

export interface CrawlOptions {
  fetcher: Fetcher;
  robots: RobotsCache;
  scope: SourceScope;
  delayMs: (url: URL) => Promise<number>;
  maxPageBytes: number;
  logger: Logger;
  signal?: AbortSignal;
  onPage?: (pages: number, queued: number) => void;
}

const HTML_TYPES = /^(?:text\/html|application\/xhtml\+xml)\b/i;
const PDF_TYPES = /^application\/(?:x-)?pdf\b/i;

/** Page bytes → text, in the charset the header or a <meta charset> names (UTF-8 otherwise). */
export function decodeHtml(bytes: Uint8Array, contentType: string | null): string {
  const sniff = Buffer.from(bytes.subarray(0, 2048)).toString("latin1");
  const label =
    /charset=["']?([\w-]+)/i.exec(contentType ?? "")?.[1] ??
    /<meta[^>]+charset=["']?([\w-]+)/i.exec(sniff)?.[1] ??
    "utf-8";
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

type PageOutcome = { html: string; url: string } | { documentType: string } | { other: string };

export async function crawlSource(options: CrawlOptions): Promise<CrawlResult> {
  const { fetcher, robots, scope, logger } = options;
  const source = scope.source;
  const result: CrawlResult = { pages: 0, documents: [], failed: [], complete: true };
  const documents = new Map<string, FoundDocument>();
  const queue: { url: string; depth: number }[] = [{ url: scope.start.href, depth: 0 }];
  const seen = new Set([scope.start.href]);
  const allow = async (url: URL) => {
    if (!scope.onHost(url)) return `off the source's hosts (${[...scope.hosts].join(", ")})`;
    return robots.check(url);
  };
  const addDocument = (doc: FoundDocument) => {
    const known = documents.get(doc.url);
    // The same file linked twice: keep the link that says which meeting it belongs to.
    if (!known || (!known.context?.meetingDate && doc.context?.meetingDate)) documents.set(doc.url, doc);
  };

  while (queue.length > 0) {
    options.signal?.throwIfAborted();
    if (result.pages >= source.maxPages) {
      logger.warn({ source: source.name, maxPages: source.maxPages }, "sync: page limit reached");
      result.complete = false;
      break;
    }
    const { url, depth } = queue.shift()!;
    const fetched = await fetcher
      .get(
        url,
        {
          delayMs: options.delayMs,
          allow,
          headers: { accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5" },
          ...(options.signal ? { signal: options.signal } : {}),
        },
        async (response): Promise<PageOutcome> => {
          const type = response.headers.get("content-type") ?? "";
          if (HTML_TYPES.test(type) || type === "") {
            const bytes = await response.bytes(options.maxPageBytes);
            return { html: decodeHtml(bytes, type), url: response.url };
          }
          if (PDF_TYPES.test(type) && source.documents.includes(".pdf")) return { documentType: ".pdf" };
          return { other: type };
        },
      )
      .catch((error: unknown) => {
        options.signal?.throwIfAborted();
        return { ok: false as const, url, reason: (error as Error).message };
      });
    result.pages++;
    options.onPage?.(result.pages, queue.length);
    if (!fetched.ok) {
      result.failed.push({ url, reason: fetched.reason });
      result.complete = false;
      continue;
    }
    const page = fetched.value;
    if ("documentType" in page) {
      addDocument({ url, type: "file", ext: page.documentType, foundOn: url, context: null });
      continue;
    }
    if ("other" in page) {
      logger.debug({ url, contentType: page.other }, "sync: not a page, ignored");
      continue;
    }
    const parsed = parsePage(page.html, page.url);
    for (const context of linkContexts(parsed)) {
      const target = new URL(context.link.href);
      if (!scope.onHost(target) || !scope.wanted(target)) continue;
      const ext = scope.documentExtension(target);
      if (ext !== null) {
        addDocument({ url: target.href, type: "file", ext, foundOn: page.url, context });
      } else if (scope.isArticle(target)) {
        addDocument({ url: target.href, type: "page", ext: ".html", foundOn: page.url, context });
      } else if (
        !parsed.nofollow &&
        depth < source.depth &&
        scope.followable(target) &&
        !seen.has(target.href)
      ) {
        seen.add(target.href);
        queue.push({ url: target.href, depth: depth + 1 });
      }
    }
  }
  result.documents = [...documents.values()];
  return result;
}
