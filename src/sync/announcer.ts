/**
 * Turns queued new documents into announcements, one per meeting ("Ny dagsorden: KKR
 * Syddanmark, møde 11. november 2020" with its links), and hands each to `publish` (the
 * Slack transport). An entry is marked announced once published, so nothing is announced
 * twice, also across restarts (announce-queue.ts).
 */
import { describeError } from "../errors.js";
import { type Logger, silentLogger } from "../logger.js";
import { formatDanishDate } from "../text/dates.js";
import type { DocKind, Region } from "../types.js";
import type { AnnouncementEntry, AnnouncementQueue } from "./announce-queue.js";

export interface AnnouncedDocument {
  /** What the link is called ("Dagsorden", "Bilag 2 – Budget"), else the document's title. */
  label: string;
  url: string;
  kind: DocKind | null;
  role: string | null;
}

export interface Announcement {
  /** "Ny dagsorden: KKR Syddanmark, møde 11. november 2020". */
  headline: string;
  meeting: { region: Region | null; date: string } | null;
  documents: AnnouncedDocument[];
  /** A meeting reference the summary understands ("KKR Syddanmark 11. november 2020"), or null. */
  summaryRef: string | null;
}

/** What the index knows of a document (after ingest), by its path in the documents folder. */
export interface IndexedMeta {
  title: string;
  kind: DocKind;
  region: Region | null;
  meetingDate: string | null;
}

export interface AnnouncerOptions {
  queue: AnnouncementQueue;
  publish: (announcement: Announcement) => Promise<void>;
  lookup?: (files: string[]) => Promise<Map<string, IndexedMeta>>;
  /** Messages per flush; beyond it the rest go into one "more documents" message. */
  maxMessages?: number;
  logger?: Logger;
}

/** A queued document with what the index knows of it. */
export interface AnnouncementDoc {
  entry: AnnouncementEntry;
  kind: DocKind | null;
  region: Region | null;
  meetingDate: string | null;
  title: string;
}

const ROLE_ORDER = ["dagsorden", "referat", "bilag"];
const order = (d: AnnouncementDoc) => {
  const i = ROLE_ORDER.indexOf(d.entry.role ?? d.kind ?? "");
  return i < 0 ? ROLE_ORDER.length : i;
};

const kkrName = (region: Region | null) =>
  region === null ? null : region === "all" ? "KKR" : `KKR ${region}`;

function meetingHeadline(docs: AnnouncementDoc[]): string {
  const kinds = new Set(docs.map((d) => d.kind ?? d.entry.role));
  const roles = new Set(docs.map((d) => d.entry.role ?? d.kind));
  const agenda = kinds.has("dagsorden") || roles.has("dagsorden");
  const minutes = kinds.has("referat") || roles.has("referat");
  if (agenda && minutes) return "Ny dagsorden og nyt referat";
  if (agenda) return "Ny dagsorden";
  if (minutes) return "Nyt referat";
  if ([...roles].every((r) => r === "bilag")) return docs.length === 1 ? "Nyt bilag" : "Nye bilag";
  return docs.length === 1 ? "Nyt dokument" : "Nye dokumenter";
}

const KIND_HEADLINE: Partial<Record<DocKind, string>> = {
  nyhedsbrev: "Nyt nyhedsbrev",
  dagsorden: "Ny dagsorden",
  referat: "Nyt referat",
  beretning: "Ny beretning",
  folder: "Ny folder",
  mødeplan: "Ny mødeplan",
  nyhed: "Ny nyhed",
  udpegning: "Nye udpegninger",
};

function toAnnouncedDocument(d: AnnouncementDoc, preferLinkText: boolean): AnnouncedDocument {
  const label = (preferLinkText ? d.entry.linkText || d.title : d.title || d.entry.linkText) || d.entry.file;
  return { label, url: d.entry.url, kind: d.kind, role: d.entry.role };
}

/** Groups documents per meeting (KKR region + date); documents outside a meeting form one group. */
export function buildAnnouncements(
  docs: AnnouncementDoc[],
): { announcement: Announcement; entries: AnnouncementEntry[] }[] {
  const meetings = new Map<string, AnnouncementDoc[]>();
  const loose: AnnouncementDoc[] = [];
  for (const d of docs) {
    if (!d.meetingDate) {
      loose.push(d);
      continue;
    }
    const key = `${d.region ?? ""}|${d.meetingDate}`;
    meetings.set(key, [...(meetings.get(key) ?? []), d]);
  }
  const out: { announcement: Announcement; entries: AnnouncementEntry[] }[] = [];
  const byDate = [...meetings.values()].sort((a, b) => (a[0]!.meetingDate! < b[0]!.meetingDate! ? -1 : 1));
  for (const group of byDate) {
    group.sort((a, b) => order(a) - order(b));
    const { region, meetingDate } = group[0]!;
    const who = kkrName(region);
    const date = formatDanishDate(meetingDate!);
    out.push({
      announcement: {
        headline: `${meetingHeadline(group)}: ${who ? `${who}, ` : ""}møde ${date}`,
        meeting: { region, date: meetingDate! },
        documents: group.map((d) => toAnnouncedDocument(d, true)),
        summaryRef: who ? `${who} ${date}` : date,
      },
      entries: group.map((d) => d.entry),
    });
  }
  if (loose.length > 0) {
    const only = loose.length === 1 ? loose[0] : undefined;
    out.push({
      announcement: {
        headline: only
          ? `${(only.kind && KIND_HEADLINE[only.kind]) || "Nyt dokument"}: ${only.title || only.entry.linkText}`
          : `Nye dokumenter (${loose.length})`,
        meeting: null,
        documents: loose.map((d) => toAnnouncedDocument(d, false)),
        summaryRef: null,
      },
      entries: loose.map((d) => d.entry),
    });
  }
  return out;
}

/** Folds the groups past `max` into one message listing their documents. */
function capped(
  groups: ReturnType<typeof buildAnnouncements>,
  max: number,
): ReturnType<typeof buildAnnouncements> {
  if (groups.length <= max) return groups;
  const head = groups.slice(0, Math.max(0, max - 1));
  const rest = groups.slice(head.length);
  const documents = rest.flatMap((g) => g.announcement.documents);
  head.push({
    announcement: {
      headline: `Flere nye dokumenter (${documents.length})`,
      meeting: null,
      documents,
      summaryRef: null,
    },
    entries: rest.flatMap((g) => g.entries),
  });
  return head;
}

export class Announcer {
  private readonly log: Logger;

  constructor(private readonly options: AnnouncerOptions) {
    this.log = (options.logger ?? silentLogger).child({ component: "announce" });
  }

  /** Announces everything pending; returns how many messages were published. */
  async flush(): Promise<number> {
    const { queue } = this.options;
    const pending = await queue.pending();
    if (pending.length === 0) return 0;
    const meta =
      (await this.options.lookup?.(pending.map((e) => e.file)).catch((error: unknown) => {
        this.log.warn(
          { err: describeError(error) },
          "announce: index lookup failed; using the sync's metadata",
        );
        return null;
      })) ?? new Map<string, IndexedMeta>();
    const docs: AnnouncementDoc[] = pending.map((entry) => {
      const m = meta.get(entry.file);
      return {
        entry,
        kind: m?.kind && m.kind !== "side" ? m.kind : entry.kind,
        region: m?.region ?? entry.region,
        meetingDate: entry.meetingDate ?? m?.meetingDate ?? null,
        title: m?.title ?? "",
      };
    });
    let published = 0;
    for (const group of capped(buildAnnouncements(docs), this.options.maxMessages ?? 10)) {
      const claimed = await queue.claim(group.entries);
      if (claimed.length === 0) continue;
      const mine = new Set(claimed.map((e) => e.url));
      const announcement = {
        ...group.announcement,
        documents: group.announcement.documents.filter((d) => mine.has(d.url)),
      };
      try {
        await this.options.publish(announcement);
        await queue.done(claimed);
        published++;
        this.log.info({ headline: announcement.headline, documents: claimed.length }, "announce: posted");
      } catch (error) {
        await queue.release(claimed);
        this.log.warn(
          { err: describeError(error), headline: announcement.headline },
          "announce: not posted; will retry",
        );
      }
    }
    return published;
  }
}
