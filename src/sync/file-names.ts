/**
 * Where a downloaded document is kept: its url's path under the source's folder, so names
 * are stable from run to run and readable ("media/1234/dagsorden.pdf"). A query string
 * (GetFile.aspx?id=7) becomes a short hash; another host than the start url's becomes the
 * first folder. Only safe characters survive, so no url can name a path outside the folder.
 */
import { createHash } from "node:crypto";
import { extname } from "node:path";
import { FORMAT_BY_EXTENSION } from "../../ingest/extract.js";

const MAX_SEGMENT = 80;

const shortHash = (s: string) => createHash("sha1").update(s).digest("hex").slice(0, 8);

function safeSegment(raw: string): string {
  let s: string;
  try {
    s = decodeURIComponent(raw);
  } catch {
    s = raw;
  }
  s = s
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}._ -]+/gu, "-")
    .replace(/\s+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[.\-_]+/, "")
    .replace(/[.\- ]+$/, "");
  return s;
}

function clip(name: string): string {
  if (name.length <= MAX_SEGMENT) return name;
  const ext = extname(name);
  return `${name.slice(0, MAX_SEGMENT - ext.length - 9)}-${shortHash(name)}${ext}`;
}

/**
 * The document's path relative to the source folder (forward slashes). `ext` is what the
 * content is (".pdf", ".html"); the name ends with it unless it already ends with a format
 * ingest reads.
 */
export function localNameFor(url: string, startHost: string, ext: string): string {
  const u = new URL(url);
  const segments = u.pathname
    .split("/")
    .map(safeSegment)
    .filter((s) => s !== "");
  if (u.host.toLowerCase() !== startHost.toLowerCase())
    segments.unshift(safeSegment(u.host.replace(":", "-")));
  let last = segments.pop() ?? "index";
  const ownExt = extname(last).toLowerCase();
  let stem = FORMAT_BY_EXTENSION.has(ownExt) ? last.slice(0, -ownExt.length) : last;
  const finalExt = FORMAT_BY_EXTENSION.has(ownExt) ? ownExt : ext;
  if (u.search !== "") stem = `${stem || "index"}-${shortHash(u.search)}`;
  last = clip(`${stem || "index"}${finalExt}`);
  return [...segments.map(clip), last].join("/");
}

/** Same name with a hash of the url before the extension: for two urls that map to one name. */
export function disambiguate(name: string, url: string): string {
  const ext = extname(name);
  return `${name.slice(0, name.length - ext.length)}-${shortHash(url)}${ext}`;
}
