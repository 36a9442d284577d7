import type { types } from "@slack/bolt";
import type { AskResult, FindHit } from "../answer/types.js";
import type { Citation, DocKind, Language, Region } from "../types.js";
import { escapeMrkdwn, mrkdwnLink } from "./escape.js";
import { uiStrings } from "./strings.js";

/**
 * Block Kit rendering with a plain-text fallback. Everything that comes from documents
 * or a model goes through escapeMrkdwn/mrkdwnLink; only our own UI strings are trusted.
 */

type KnownBlock = types.KnownBlock;
type Button = types.Button;

export interface SlackMessage {
  /** Fallback text (notifications, screen readers). */
  text: string;
  blocks: KnownBlock[];
}

/** Slack's limits, with margins; overridable so tests can exercise splitting. */
export interface RenderLimits {
  sectionChars: number;
  blocksPerMessage: number;
  /** Block text per message; Slack rejects very long block payloads (msg_blocks_too_long). */
  charsPerMessage: number;
  fallbackChars: number;
}

export const SLACK_LIMITS: RenderLimits = {
  sectionChars: 3000,
  blocksPerMessage: 50,
  charsPerMessage: 12_000,
  fallbackChars: 3_500,
};

export const ACTION = {
  showSources: "kkr_show_sources",
  postToChannel: "kkr_post_channel",
  feedbackUp: "kkr_feedback_up",
  feedbackDown: "kkr_feedback_down",
  shareFile: "kkr_share_file",
  openLink: "kkr_open_link",
  summaryDetails: "kkr_summary_details",
  homeSummary: "kkr_home_summary",
} as const;

/** What a "Show details" button carries: the meeting and the summary's language. */
export interface DetailsRef {
  m: string;
  l: Language;
}

export function decodeDetailsRef(value: string | undefined): DetailsRef | null {
  if (!value) return null;
  try {
    const { m, l } = JSON.parse(value) as Record<string, unknown>;
    return typeof m === "string" && /^[a-z]+-\d{4}-\d{2}-\d{2}$/.test(m) && (l === "da" || l === "en")
      ? { m, l }
      : null;
  } catch {
    return null;
  }
}

/** What answer buttons carry: the cached answer's id, and the question to re-ask if the cache lost it. */
export interface AnswerRef {
  a: string;
  q: string;
}

const BUTTON_VALUE_MAX = 2000;

export function encodeAnswerRef(ref: AnswerRef): string {
  let q = ref.q;
  let value = JSON.stringify({ a: ref.a, q });
  while (value.length > BUTTON_VALUE_MAX && q.length > 0) {
    q = q.slice(0, Math.floor(q.length * 0.8));
    value = JSON.stringify({ a: ref.a, q });
  }
  return value;
}

export function decodeAnswerRef(value: string | undefined): AnswerRef | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (typeof parsed !== "object" || parsed === null) return null;
    const { a, q } = parsed as Record<string, unknown>;
    return typeof a === "string" && typeof q === "string" ? { a, q } : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------
// Citation lines: "[1] KKR Syddanmark · Dagsorden · 11. nov. 2020 · pkt. 3.1 Siden sidst"

// News, appointments and pages show their own title instead of a kind label.
const KIND_LABELS: Record<Language, Record<DocKind, string>> = {
  da: {
    dagsorden: "Dagsorden",
    referat: "Referat",
    mødeplan: "Mødeplan",
    nyhedsbrev: "Nyhedsbrev",
    nyhed: "",
    udpegning: "",
    folder: "Folder",
    beretning: "Beretning",
    side: "",
  },
  en: {
    dagsorden: "Agenda",
    referat: "Minutes",
    mødeplan: "Meeting calendar",
    nyhedsbrev: "Newsletter",
    nyhed: "",
    udpegning: "",
    folder: "Leaflet",
    beretning: "Annual report",
    side: "",
  },
};

const MONTHS: Record<Language, string[]> = {
  da: ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."],
  en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
};

/** ISO date, YYYY-MM or YYYY → "11. nov. 2020" / "11 Nov 2020" (as precise as given). */
export function formatDate(date: string | null, language: Language): string | null {
  if (!date) return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date);
  if (!m) return date;
  const [, year, month, day] = m;
  const monthName = month ? MONTHS[language][Number(month) - 1] : undefined;
  if (!monthName) return year ?? date;
  if (!day) return `${monthName} ${year}`;
  const d = Number(day);
  return language === "da" ? `${d}. ${monthName} ${year}` : `${d} ${monthName} ${year}`;
}

function sectionLabel(c: Citation, language: Language): string | null {
  const last = c.section.split("›").pop()?.trim() ?? "";
  const prefix = language === "da" ? "pkt." : "item";
  if (c.item) {
    // name the item by its own heading ("3.1 Siden sidst"), not a sub-heading inside it
    const own = c.section
      .split("›")
      .map((p) => p.trim())
      .find((p) => p === c.item || p.startsWith(`${c.item} `) || p.startsWith(`${c.item}. `));
    const label = own ?? last;
    return label.startsWith(c.item) ? `${prefix} ${label}` : `${prefix} ${c.item}${label ? ` ${label}` : ""}`;
  }
  if (last && last !== c.title) return last;
  return null;
}

/** The plain (unescaped) description of a cited source. */
export function citationLabel(c: Citation, language: Language): string {
  const parts: string[] = [];
  const region =
    c.region === "all" ? (language === "da" ? "KKR (alle regioner)" : "KKR (all regions)") : c.region;
  if (region) parts.push(region === c.region ? `KKR ${region}` : region);
  const kind = KIND_LABELS[language][c.kind];
  if (!region || !kind) parts.push(c.title);
  if (kind) parts.push(kind);
  const date = formatDate(c.date, language);
  if (date) parts.push(date);
  const section = sectionLabel(c, language);
  if (section) parts.push(section);
  else if (c.page !== null) parts.push(`${language === "da" ? "s." : "p."} ${c.page}`);
  return parts.join(" · ");
}

/** "[n] label" as safe mrkdwn, linked when the source has a usable url. */
export function citationLine(c: Citation, language: Language): string {
  return `[${c.n}] ${mrkdwnLink(c.url, citationLabel(c, language))}`;
}

// ---------------------------------------------------------------------------------
// Small block builders

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}

function button(actionId: string, text: string, value?: string, url?: string): Button {
  const b: Button = { type: "button", action_id: actionId, text: { type: "plain_text", text, emoji: true } };
  if (value !== undefined) b.value = value;
  if (url !== undefined) b.url = url;
  return b;
}

/** A one-section message for our own (trusted) UI text. */
export function renderNotice(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/**
 * Splits escaped mrkdwn into pieces of at most `max` characters, preferring paragraph,
 * line, sentence and word boundaries, and never cutting an `&amp;`-style entity.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = -1;
    for (const sep of ["\n\n", "\n", ". ", " "]) {
      const at = window.lastIndexOf(sep);
      if (at > max * 0.5) {
        cut = at + sep.length;
        break;
      }
    }
    if (cut <= 0) {
      cut = max;
      const amp = window.lastIndexOf("&");
      if (amp > max - 6 && !window.slice(amp).includes(";")) cut = amp;
    }
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

function blockChars(block: KnownBlock): number {
  return JSON.stringify(block).length;
}

/**
 * Packs blocks into messages within the block and size limits; `tail` (sources and
 * buttons) stays together in the last message so citations are never separated.
 */
function pack(body: KnownBlock[], tail: KnownBlock[], limits: RenderLimits): KnownBlock[][] {
  const messages: KnownBlock[][] = [];
  let current: KnownBlock[] = [];
  let chars = 0;
  const fits = (extraBlocks: number, extraChars: number) =>
    current.length + extraBlocks <= limits.blocksPerMessage && chars + extraChars <= limits.charsPerMessage;
  for (const block of body) {
    const size = blockChars(block);
    if (current.length > 0 && !fits(1, size)) {
      messages.push(current);
      current = [];
      chars = 0;
    }
    current.push(block);
    chars += size;
  }
  const tailChars = tail.reduce((n, b) => n + blockChars(b), 0);
  if (current.length > 0 && !fits(tail.length, tailChars)) {
    messages.push(current);
    current = [];
  }
  current.push(...tail.slice(0, limits.blocksPerMessage));
  messages.push(current);
  return messages;
}

function fallbackOf(blocks: KnownBlock[], limits: RenderLimits): string {
  const texts: string[] = [];
  for (const b of blocks) {
    if (b.type === "section" && b.text) texts.push(b.text.text);
    if (b.type === "context") {
      for (const e of b.elements) if (e.type === "mrkdwn" || e.type === "plain_text") texts.push(e.text);
    }
  }
  const text = texts.join("\n");
  return text.length > limits.fallbackChars ? `${text.slice(0, limits.fallbackChars - 1)}…` : text;
}

/** Source lines as context blocks: one per citation, grouped when there are many. */
function sourceBlocks(citations: Citation[], language: Language, limits: RenderLimits): KnownBlock[] {
  if (citations.length === 0) return [];
  const s = uiStrings(language);
  const lines = citations.map((c) => citationLine(c, language));
  const blocks: KnownBlock[] = [context(`*${s.sourcesHeading}*`)];
  if (lines.length <= 20) {
    for (const line of lines) blocks.push(context(line));
    return blocks;
  }
  for (const group of splitText(lines.join("\n"), limits.sectionChars)) blocks.push(context(group));
  return blocks;
}

// ---------------------------------------------------------------------------------
// Answers

export interface RenderAnswerOptions {
  language: Language;
  /** The question as asked (plain text); shown when posted to a channel and carried in buttons. */
  question: string;
  /** Cache id of the answer, for the buttons. */
  answerId: string;
  /** Slash-command replies are ephemeral: add "Post to channel". */
  ephemeral?: boolean;
  /** When an ephemeral answer is posted to the channel: who asked. */
  askedBy?: string;
  /** The channel's default region the question was read with (shown next to the sources). */
  defaultRegion?: Region | null;
  limits?: Partial<RenderLimits>;
}

/** The answer as one or more messages (split within Slack's limits, citations in the last). */
export function renderAnswer(result: AskResult, options: RenderAnswerOptions): SlackMessage[] {
  const limits = { ...SLACK_LIMITS, ...options.limits };
  const { body, tail } = answerParts(result, options);
  const groups = pack(body, tail, limits);
  const s = uiStrings(options.language);
  return groups.map((blocks, i) => {
    if (i > 0) blocks.unshift(context(s.continued));
    return { text: fallbackOf(blocks, limits), blocks };
  });
}

/** The answer text as Slack renders it: escaped, with the answerer's "> " quotes as blockquotes. */
export function answerMrkdwn(answer: string): string {
  // The answerer marks quoted passages with "> "; escaping turns that into "&gt; ", so restore
  // it as Slack's blockquote (formatting only: mentions and links stay escaped).
  return escapeMrkdwn(answer.trim() || "…").replace(/^&gt; ?/gm, ">");
}

/** A one-screen meeting summary (not yet the long form): the meeting it can show details of. */
function detailsRefOf(result: AskResult, language: Language): DetailsRef | null {
  const r = result as AskResult & { detail?: boolean; meeting?: { id?: unknown } };
  if (result.mode !== "summary" || r.detail !== false || typeof r.meeting?.id !== "string") return null;
  return { m: r.meeting.id, l: language };
}

/**
 * The parts of an answer message: `body` (who asked, the text, notes, closest documents)
 * and `tail` (default region, sources and buttons), which stays together in the last
 * message, or follows a streamed text when the stream stops.
 */
export function answerParts(
  result: AskResult,
  options: RenderAnswerOptions,
): { body: KnownBlock[]; tail: KnownBlock[]; extras: KnownBlock[] } {
  const limits = { ...SLACK_LIMITS, ...options.limits };
  const language = options.language;
  const s = uiStrings(language);
  const body: KnownBlock[] = [];
  if (options.askedBy && /^[UW][A-Z0-9]+$/.test(options.askedBy)) {
    const q = options.question.length > 300 ? `${options.question.slice(0, 299)}…` : options.question;
    body.push(context(`${s.postedBy(`<@${options.askedBy}>`)}: _${escapeMrkdwn(q)}_`));
  }
  for (const piece of splitText(answerMrkdwn(result.answer), limits.sectionChars)) body.push(section(piece));
  // What follows the text: a note, the closest documents when nothing was found.
  const extras: KnownBlock[] = [];
  if (result.note) extras.push(context(escapeMrkdwn(result.note)));
  if (result.abstained && result.closest.length > 0) {
    const lines = result.closest.slice(0, 5).map((d) => {
      const date = formatDate(d.date, language);
      return `• ${mrkdwnLink(d.url, d.title)}${date ? ` (${escapeMrkdwn(date)})` : ""}`;
    });
    extras.push(section(`*${s.closestDocuments}*\n${lines.join("\n")}`.slice(0, limits.sectionChars)));
  }
  body.push(...extras);

  const ref = encodeAnswerRef({ a: options.answerId, q: options.question });
  const buttons: Button[] = [];
  if (result.citations.length > 0) buttons.push(button(ACTION.showSources, s.showSources, ref));
  if (options.ephemeral) {
    const post = button(ACTION.postToChannel, s.postToChannel, ref);
    post.style = "primary";
    buttons.push(post);
  }
  const details = detailsRefOf(result, language);
  if (details) buttons.push(button(ACTION.summaryDetails, s.showDetails, JSON.stringify(details)));
  buttons.push(button(ACTION.feedbackUp, s.helpful, ref), button(ACTION.feedbackDown, s.notHelpful, ref));
  const tail = [
    ...(options.defaultRegion ? [context(escapeMrkdwn(s.channelDefaultUsed(options.defaultRegion)))] : []),
    ...sourceBlocks(result.citations, language, limits),
    { type: "actions", block_id: "kkr_answer_actions", elements: buttons } as KnownBlock,
  ];
  return { body, tail, extras };
}

/**
 * A streamed answer (chat.startStream/appendStream/stopStream): the text as Slack markdown,
 * escaped like mrkdwn (no mention or `<url|…>` link can form) and with markdown's own
 * `[text](url)` link syntax broken, so a document can't disguise a link either; and the
 * blocks the stream ends with (note, sources, buttons).
 */
export function streamParts(
  result: AskResult,
  options: RenderAnswerOptions,
): { markdown: string; blocks: KnownBlock[] } {
  const { tail, extras } = answerParts(result, options);
  const markdown = answerMrkdwn(result.answer)
    .replace(/^>/gm, "> ")
    .replace(/\]\s*\(/g, "]\u200b(");
  return { markdown, blocks: [...extras, ...tail] };
}

/** Plain-text fallback of blocks (exported for streamed messages). */
export function fallbackText(blocks: KnownBlock[]): string {
  return fallbackOf(blocks, SLACK_LIMITS);
}

/** The quoted passages behind an answer ("Show sources"). */
export function renderSources(citations: Citation[], language: Language): SlackMessage {
  const s = uiStrings(language);
  if (citations.length === 0) return renderNotice(s.noSources);
  const blocks: KnownBlock[] = [section(`*${s.sourcesHeading}*`)];
  for (const c of citations.slice(0, 24)) {
    blocks.push(context(citationLine(c, language)));
    const quote = escapeMrkdwn(c.quote.trim())
      .split("\n")
      .map((line) => `>${line}`)
      .join("\n");
    blocks.push(section(quote.slice(0, SLACK_LIMITS.sectionChars)));
  }
  return { text: fallbackOf(blocks, SLACK_LIMITS), blocks };
}

// ---------------------------------------------------------------------------------
// /kkr find

export interface FindRow {
  hit: FindHit;
  /** The original file is on disk, so it can be uploaded to the channel. */
  shareable: boolean;
}

export function renderFind(query: string, rows: FindRow[], language: Language): SlackMessage {
  const s = uiStrings(language);
  if (rows.length === 0) return renderNotice(s.findNone);
  const q = query.length > 100 ? `${query.slice(0, 99)}…` : query;
  const blocks: KnownBlock[] = [section(`*${escapeMrkdwn(s.findHeading(q))}*`)];
  for (const { hit, shareable } of rows.slice(0, 20)) {
    const meta = [
      hit.region ? (hit.region === "all" ? "KKR" : `KKR ${hit.region}`) : null,
      KIND_LABELS[language][hit.kind] || null,
      formatDate(hit.date, language),
    ]
      .filter((p): p is string => Boolean(p))
      .join(" · ");
    const snippet = hit.snippet.replace(/\s+/g, " ").trim();
    const short = snippet.length > 200 ? `${snippet.slice(0, 199)}…` : snippet;
    const lines = [`*${mrkdwnLink(hit.url, hit.title)}*`];
    if (meta) lines.push(escapeMrkdwn(meta));
    if (short) lines.push(`>${escapeMrkdwn(short)}`);
    const block: types.SectionBlock = { type: "section", text: { type: "mrkdwn", text: lines.join("\n") } };
    if (shareable && hit.source.length <= BUTTON_VALUE_MAX) {
      block.accessory = button(ACTION.shareFile, s.share, hit.source);
    } else if (hit.url) {
      const url = mrkdwnUrl(hit.url);
      if (url) block.accessory = button(ACTION.openLink, s.openDocument, hit.source.slice(0, 2000), url);
    }
    blocks.push(block);
  }
  return { text: fallbackOf(blocks, SLACK_LIMITS), blocks };
}

function mrkdwnUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href.slice(0, 3000) : null;
  } catch {
    return null;
  }
}
