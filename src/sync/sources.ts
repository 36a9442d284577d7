/**
 * The sources file (kkr.sources.json, path in KKR_SOURCES): which web sites `kkr sync`
 * keeps the documents folder in line with. JSON with comments and trailing commas allowed,
 * so the commented example in the README can be pasted as it is.
 */
import { readFile } from "node:fs/promises";
import { type ParseError, parse as parseJsonc, printParseErrorCode } from "jsonc-parser";
import { z } from "zod";
import { FORMAT_BY_EXTENSION } from "../../ingest/extract.js";
import { describeError, KkrError } from "../errors.js";
import { parseRegion } from "../text/regions.js";
import type { Region } from "../types.js";

export interface Source {
  /** Folder name under KKR_DOCS_DIR and the `--source` name. */
  name: string;
  /** Start page. */
  url: string;
  /** KKR region of the documents, when the whole source is one region's. */
  region: Region | null;
  /** Link steps from the start page to the deepest page crawled for links. */
  depth: number;
  /** Path prefixes of the pages to crawl (default: the start url's path). */
  follow: string[];
  /** Hosts besides the start url's that pages and documents may be on (a CDN, www/no-www). */
  hosts: string[];
  /** Extensions of linked files saved as documents (ones ingest reads). */
  documents: string[];
  /** Regular expressions: HTML pages whose url matches are saved as documents (news articles). */
  pages: RegExp[];
  /** Regular expressions: when given, only urls matching one are crawled or saved (the start url always is). */
  include: RegExp[];
  /** Regular expressions: urls matching one are neither crawled nor saved. */
  exclude: RegExp[];
  /** Pause between requests to this source's hosts (overrides KKR_SYNC_DELAY_MS). */
  delayMs: number | null;
  /** At most this many pages are crawled per run. */
  maxPages: number;
}

const regex = z.string().transform((s, ctx) => {
  try {
    return new RegExp(s, "i");
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `not a valid regular expression (${describeError(error)})` });
    return z.NEVER;
  }
});

const region = z.string().transform((s, ctx) => {
  const r = parseRegion(s);
  if (r === null) {
    ctx.addIssue({
      code: "custom",
      message: "expected one of Hovedstaden, Sjælland, Syddanmark, Midtjylland, Nordjylland or all",
    });
    return z.NEVER;
  }
  return r;
});

const extension = z
  .string()
  .transform((s) => (s.startsWith(".") ? s : `.${s}`).toLowerCase())
  .refine((ext) => FORMAT_BY_EXTENSION.has(ext), {
    message: `ingest reads ${[...FORMAT_BY_EXTENSION.keys()].join(", ")}`,
  });

const hostname = z
  .string()
  .regex(/^[a-z0-9.-]+(?::\d+)?$/i, "a host name like cdn.example.dk (optionally :port)")
  .transform((s) => s.toLowerCase());

const sourceSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, "letters, digits, '.', '_' or '-' (it becomes a folder name)"),
    url: z.url({ protocol: /^https?$/, message: "an http:// or https:// url" }),
    region: region.optional(),
    depth: z.number().int().min(0).max(100).default(2),
    follow: z.array(z.string().startsWith("/", "a path starting with /")).optional(),
    hosts: z.array(hostname).default([]),
    documents: z.array(extension).min(1).default([".pdf"]),
    pages: z.array(regex).default([]),
    include: z.array(regex).default([]),
    exclude: z.array(regex).default([]),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    maxPages: z.number().int().min(1).max(100_000).default(500),
  })
  .strict();

const fileSchema = z
  .object({ sources: z.array(sourceSchema).min(1, "list at least one source") })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.sources.forEach((s, i) => {
      const key = s.name.toLowerCase();
      if (seen.has(key))
        ctx.addIssue({ code: "custom", path: ["sources", i, "name"], message: "used twice" });
      seen.add(key);
    });
  });

/** The start url's folder: "/kkr/syddanmark/moedemateriale" (no trailing slash; "" for the site root). */
export function startPath(url: string): string {
  return new URL(url).pathname.replace(/\/+$/, "");
}

/** Validates the parsed JSON of a sources file; throws SOURCES_INVALID naming the field. */
export function parseSources(value: unknown, file = "kkr.sources.json"): Source[] {
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new KkrError(
      "SOURCES_INVALID",
      `${file} is not valid (${problems.join("; ")}). Fix it and retry.`,
      {
        details: { problems },
      },
    );
  }
  return parsed.data.sources.map((s) => ({
    name: s.name,
    url: s.url,
    region: s.region ?? null,
    depth: s.depth,
    follow: s.follow ?? [startPath(s.url) || "/"],
    hosts: s.hosts,
    documents: [...new Set(s.documents)],
    pages: s.pages,
    include: s.include,
    exclude: s.exclude,
    delayMs: s.delayMs ?? null,
    maxPages: s.maxPages,
  }));
}

/** JSON with comments → value, or SOURCES_INVALID with the line of the first syntax error. */
export function parseSourcesText(text: string, file = "kkr.sources.json"): Source[] {
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const line = text.slice(0, first.offset).split("\n").length;
    throw new KkrError(
      "SOURCES_INVALID",
      `${file} line ${line}: ${printParseErrorCode(first.error)}. Fix the JSON and retry.`,
    );
  }
  return parseSources(value, file);
}

export async function loadSources(path: string): Promise<Source[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new KkrError(
      "SOURCES_INVALID",
      missing
        ? `No sources file at ${path}. Create one (see "Keeping the documents current" in the README) or point KKR_SOURCES at it.`
        : `Cannot read the sources file ${path} (${describeError(error)}).`,
      { cause: error },
    );
  }
  return parseSourcesText(text.replace(/^\uFEFF/, ""), path);
}

/** The sources named by `--source` (all when none), or BAD_ARGUMENT listing the names. */
export function selectSources(sources: Source[], name: string | undefined): Source[] {
  if (!name) return sources;
  const found = sources.filter((s) => s.name.toLowerCase() === name.toLowerCase());
  if (found.length === 0) {
    throw new KkrError(
      "BAD_ARGUMENT",
      `No source named "${name}". The sources file has: ${sources.map((s) => s.name).join(", ")}.`,
    );
  }
  return found;
}
