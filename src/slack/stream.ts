import type { types, webApi } from "@slack/bolt";

/**
 * Streaming an answer into Slack (chat.startStream → appendStream → stopStream, through the
 * SDK's ChatStreamer). What is streamed is the answer after the core has checked its
 * citations, so an invalid [n] is never on screen, not even for a moment; the sources and
 * buttons arrive with the stop.
 */

export interface StreamTarget {
  channel: string;
  threadTs: string;
  /** Needed outside DMs: whom the stream is for. */
  teamId?: string | undefined;
  userId?: string | undefined;
}

/**
 * The text in pieces that end at a line or sentence end, each at least `minChars` long
 * (fewer, larger appends: each is a Web API call), at most `maxPieces`.
 */
export function streamPieces(
  text: string,
  options: { minChars?: number; maxPieces?: number } = {},
): string[] {
  const minChars = options.minChars ?? 80;
  const maxPieces = options.maxPieces ?? 8;
  const target = Math.max(minChars, Math.ceil(text.length / maxPieces));
  const pieces: string[] = [];
  let start = 0;
  const ends = [...text.matchAll(/\n|[.!?](?:\s*\[\d+\])*(?=\s)/g)].map((m) => m.index + m[0].length);
  for (const end of ends) {
    if (end - start >= target && pieces.length < maxPieces - 1) {
      pieces.push(text.slice(start, end));
      start = end;
    }
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces.filter((p) => p.length > 0);
}

/** Streams `markdown` into the thread and stops with `blocks` (and metadata); returns the message ts. */
export async function streamMessage(
  client: webApi.WebClient,
  target: StreamTarget,
  content: {
    markdown: string;
    blocks: types.KnownBlock[];
    metadata?: { event_type: string; event_payload: Record<string, string | number | boolean> };
  },
): Promise<string | undefined> {
  const streamer = client.chatStream({
    channel: target.channel,
    thread_ts: target.threadTs,
    ...(target.teamId ? { recipient_team_id: target.teamId } : {}),
    ...(target.userId ? { recipient_user_id: target.userId } : {}),
    // we choose the pieces; flush each one
    buffer_size: 1,
  });
  for (const piece of streamPieces(content.markdown)) await streamer.append({ markdown_text: piece });
  await streamer.stop({
    blocks: content.blocks,
    ...(content.metadata ? { metadata: content.metadata } : {}),
  });
  return streamer.ts;
}
