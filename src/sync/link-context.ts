/**
 * What a document link stands under on a meeting page: its role ("Dagsorden", "Referat",
 * "Bilag"), the meeting (date, KKR region) from the heading or the "KKR X holdt møde den …"
 * text above it, and that text itself, which the sidecar keeps as the link's context.
 */
import { findDates } from "../text/dates.js";
import { detectRegions } from "../text/regions.js";
import type { Region } from "../types.js";
import type { PageEvent, PageLink, ParsedPage } from "./html-links.js";

export type LinkRole = "dagsorden" | "referat" | "bilag";

export interface LinkContext {
  link: PageLink;
  role: LinkRole | null;
  /** ISO date of the meeting the link belongs to, when the page says so. */
  meetingDate: string | null;
  /** KKR region named by the link or its context, when exactly one is. */
  region: Exclude<Region, "all"> | null;
  /** The heading or text the meeting was read from. */
  context: string | null;
  /** Headings above the link, outermost first. */
  headings: string[];
}

/** Words that make a dated text a meeting's ("KKR Syddanmark holdt møde den 11. november 2020"). */
const MEETING_WORDS = /møde|meeting|dagsorden|referat|beslutningsprotokol|agenda|minutes/i;
/** ...unless it is about another meeting than the one the links below belong to. */
const OTHER_MEETING = /næste|kommende|forrige|next meeting|previous meeting/i;

/** Role from what a link or its file is called; null when it says none. */
export function roleOf(text: string): LinkRole | null {
  const t = text.toLowerCase();
  if (/^\W*(?:bilag|appendix|annex)/.test(t)) return "bilag";
  if (/referat|beslutningsprotokol|protokol|minutes/.test(t)) return "referat";
  if (/dagsorden|agenda/.test(t)) return "dagsorden";
  if (/\bbilag|appendix|annex/.test(t)) return "bilag";
  return null;
}

const dayDate = (text: string) => findDates(text).find((d) => d.precision === "day")?.iso ?? null;

function singleRegion(text: string): Exclude<Region, "all"> | null {
  const found = new Set(detectRegions(text).map((m) => m.region));
  return found.size === 1 ? ([...found][0] ?? null) : null;
}

function fileWords(href: string): string {
  try {
    const last = new URL(href).pathname.split("/").pop() ?? "";
    return decodeURIComponent(last)
      .replace(/\.[a-z0-9]+$/i, "")
      .replace(/[-_+.]+/g, " ");
  } catch {
    return "";
  }
}

interface Meeting {
  date: string;
  text: string;
  /** Heading level that owns it: a heading at this level or above ends it. */
  level: number;
}

/** The context of every link on the page, in page order. */
export function linkContexts(page: ParsedPage): LinkContext[] {
  const headings: { level: number; text: string }[] = [];
  let meeting: Meeting | null = null;
  const out: LinkContext[] = [];
  const currentLevel = () => headings[headings.length - 1]?.level ?? 0;

  const onEvent = (event: PageEvent) => {
    if (event.type === "heading") {
      while ((headings[headings.length - 1]?.level ?? 0) >= event.level) headings.pop();
      headings.push({ level: event.level, text: event.text });
      if (meeting && event.level <= meeting.level) meeting = null;
      const date = OTHER_MEETING.test(event.text) ? null : dayDate(event.text);
      if (date) meeting = { date, text: event.text, level: event.level };
      return;
    }
    if (event.type === "block") {
      if (!MEETING_WORDS.test(event.text) || OTHER_MEETING.test(event.text)) return;
      const date = dayDate(event.text);
      if (date) meeting = { date, text: event.text.slice(0, 300), level: currentLevel() };
      return;
    }
    out.push(contextOf(event.link, meeting, headings, page.title));
  };
  for (const event of page.events) onEvent(event);
  return out;
}

function contextOf(
  link: PageLink,
  meeting: Meeting | null,
  headings: { text: string }[],
  title: string,
): LinkContext {
  const role = roleOf(link.text) ?? roleOf(fileWords(link.href)) ?? roleOf(link.lead);
  const leadDate = MEETING_WORDS.test(link.lead) || role !== null ? dayDate(link.lead) : null;
  const ownDate = role !== null ? dayDate(link.text) : null;
  // A dated text that names a meeting is one; a bare date above a link is one only for
  // a link that says it is meeting material.
  const fromMeeting = meeting && (role !== null || MEETING_WORDS.test(meeting.text)) ? meeting : null;
  const meetingDate = ownDate ?? leadDate ?? fromMeeting?.date ?? null;
  const context = ownDate ? link.text : leadDate ? link.lead : (fromMeeting?.text ?? null);
  const texts = [link.text, link.lead, context ?? "", ...headings.map((h) => h.text).reverse(), title];
  let region: LinkContext["region"] = null;
  for (const text of texts) {
    region = text ? singleRegion(text) : null;
    if (region) break;
  }
  return { link, role, meetingDate, region, context, headings: headings.map((h) => h.text) };
}
