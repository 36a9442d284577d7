import { createHmac } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";
import { type Ack, SocketModeServer } from "./slack-socket-server.js";

/**
 * A Slack emulator for tests: a local Web API (the methods kkr-bot calls, with a small
 * message store so conversations.replies sees earlier answers; the AI-app methods
 * assistant.threads.setStatus/setSuggestedPrompts/setTitle and chat.startStream/
 * appendStream/stopStream shaped like Slack's, views.publish, conversations.info and
 * users.info answering from `channels`/`users`), response_url and file upload endpoints,
 * and a Socket Mode server. Tests deliver events, commands and button
 * clicks through `sendEvent`/`sendCommand`/`sendAction`, over Socket Mode or (after
 * `useHttp`) as signed HTTP requests to the bot, and assert on `calls`.
 *
 *   const slack = await SlackEmulator.start();
 *   const bot = await startSlackBot({ config: configFor(slack), service, logger });
 *   const { ts } = await slack.mention({ channel: "C1", user: "U1", text: "who represents Syddanmark in DEB?" });
 *   const answer = await slack.waitForAnswer({ channel: "C1", threadTs: ts });
 */

export const BOT_TOKEN = "xoxb-emulator-bot-token";
export const APP_TOKEN = "xapp-emulator-app-token";
export const SIGNING_SECRET = "emulator-signing-secret";
export const BOT_USER_ID = "UKKRBOT";
export const BOT_ID = "BKKRBOT";
export const TEAM_ID = "TKKR";
export const APP_ID = "A0KKRBOT";

export interface ApiCall {
  /** Web API method ("chat.postMessage"), or "response_url" / "file_upload". */
  method: string;
  args: Record<string, unknown>;
  token: string | null;
  seq: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  /** chat.startStream → chat.stopStream: text is still being appended. */
  streaming?: boolean;
  user?: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  subtype?: string;
}

export interface EmulatedUser {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  locale?: string;
}

export interface EmulatedChannel {
  creator?: string;
  is_im?: boolean;
  is_mpim?: boolean;
  is_private?: boolean;
  /** The other member of an IM. */
  user?: string;
}

export interface AssistantThreadState {
  statuses: string[];
  title: string | null;
  prompts: { title: string; message: string }[] | null;
  promptsTitle: string | null;
}

export interface DeliveryResult {
  /** Socket Mode: the ack the bot sent for the envelope. */
  ack?: Ack;
  /** HTTP mode: the bot's response. */
  status?: number;
  body?: string;
}

interface HttpTarget {
  url: string;
  signingSecret: string;
}

export class SlackEmulator {
  readonly apiUrl: string;
  readonly baseUrl: string;
  readonly calls: ApiCall[] = [];
  readonly messages: StoredMessage[] = [];
  /** auth.test answers with this error (e.g. "invalid_auth") when set. */
  authTestError: string | null = null;
  /** Every bot-token method answers with this error (e.g. "token_revoked") when set. */
  botTokenError: string | null = null;
  /** apps.connections.open answers with this error when set. */
  appTokenError: string | null = null;
  /** users.info answers: per user id; others are ordinary members (not admins). */
  readonly users = new Map<string, EmulatedUser>();
  /** conversations.info answers: per channel id; others are derived from the id's prefix. */
  readonly channels = new Map<string, EmulatedChannel>();
  /** The App Home view last published per user (views.publish). */
  readonly homeViews = new Map<string, Record<string, unknown>>();
  /** Assistant threads by `channel:thread_ts`: status, title and suggested prompts set. */
  readonly assistantThreads = new Map<string, AssistantThreadState>();
  /** Per-method one-shot errors: failNext("chat.postMessage", "not_in_channel"). */
  private readonly failures = new Map<string, string[]>();
  private readonly events = new EventEmitter();
  private seq = 0;
  private tsCounter = 0;
  private fileCounter = 0;
  private eventCounter = 0;
  private http: HttpTarget | null = null;

  private constructor(
    private readonly server: Server,
    port: number,
    readonly socket: SocketModeServer,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.events.setMaxListeners(100);
  }

  static async start(): Promise<SlackEmulator> {
    const socket = await SocketModeServer.start();
    let emulator: SlackEmulator | null = null;
    const server = createServer((req, res) => {
      void emulator?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    emulator = new SlackEmulator(server, (server.address() as AddressInfo).port, socket);
    return emulator;
  }

  async close(): Promise<void> {
    await this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ------------------------------------------------------------------ assertions

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits for a call matching `predicate` (looking at calls already made first). */
  async waitForCall(
    method: string,
    predicate: (call: ApiCall) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<ApiCall> {
    const match = (c: ApiCall) => c.method === method && predicate(c);
    const existing = this.calls.find(match);
    if (existing) return existing;
    return new Promise<ApiCall>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off("call", on);
        reject(
          new Error(`timed out waiting for ${method}; calls: ${this.calls.map((c) => c.method).join(", ")}`),
        );
      }, timeoutMs);
      const on = (c: ApiCall) => {
        if (!match(c)) return;
        clearTimeout(timer);
        this.events.off("call", on);
        resolve(c);
      };
      this.events.on("call", on);
    });
  }

  /**
   * The bot's finished answer in a conversation: the first bot message there (thread or
   * top level after `afterTs`) whose text is no longer the placeholder.
   */
  async waitForAnswer(
    where: { channel: string; threadTs?: string; afterTs?: string },
    timeoutMs = 10_000,
  ): Promise<StoredMessage> {
    const find = () =>
      this.messages.find(
        (m) =>
          m.channel === where.channel &&
          m.user === BOT_USER_ID &&
          (where.threadTs ? m.thread_ts === where.threadTs : !m.thread_ts) &&
          (!where.afterTs || m.ts > where.afterTs) &&
          !isPlaceholder(m.text),
      );
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for an answer in ${JSON.stringify(where)}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Waits until no new call has arrived for `quietMs` (to assert that nothing else happens). */
  async settle(quietMs = 150): Promise<void> {
    for (;;) {
      const before = this.seq;
      await new Promise((r) => setTimeout(r, quietMs));
      if (this.seq === before) return;
    }
  }

  failNext(method: string, error: string): void {
    const list = this.failures.get(method) ?? [];
    list.push(error);
    this.failures.set(method, list);
  }

  // ------------------------------------------------------------------ conversation helpers

  nextTs(): string {
    this.tsCounter++;
    return `${1_700_000_000 + this.tsCounter}.${String(this.tsCounter).padStart(6, "0")}`;
  }

  /** Stores a user's message (so conversations.replies returns it) without delivering it. */
  userMessage(input: { channel: string; user: string; text: string; threadTs?: string }): StoredMessage {
    const message: StoredMessage = {
      channel: input.channel,
      ts: this.nextTs(),
      user: input.user,
      text: input.text,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    };
    this.messages.push(message);
    return message;
  }

  /** A user @mentions the bot in a channel (optionally in a thread); delivers app_mention. */
  async mention(input: {
    channel: string;
    user: string;
    text: string;
    threadTs?: string;
  }): Promise<{ ts: string; eventId: string; delivery: DeliveryResult; event: Record<string, unknown> }> {
    const stored = this.userMessage({ ...input, text: `<@${BOT_USER_ID}> ${input.text}` });
    const event = messageEvent("app_mention", stored);
    const eventId = this.newEventId();
    const delivery = await this.sendEvent(event, { eventId });
    return { ts: stored.ts, eventId, delivery, event };
  }

  /** A user writes to the bot in a DM (channel id should start with D); delivers message.im. */
  async dm(input: {
    channel: string;
    user: string;
    text: string;
    threadTs?: string;
  }): Promise<{ ts: string; eventId: string; delivery: DeliveryResult; event: Record<string, unknown> }> {
    const stored = this.userMessage(input);
    const event = { ...messageEvent("message", stored), channel_type: "im" };
    const eventId = this.newEventId();
    const delivery = await this.sendEvent(event, { eventId });
    return { ts: stored.ts, eventId, delivery, event };
  }

  /** A user writes in a group DM (id G…); delivers message.mpim (and app_mention when it mentions the bot). */
  async groupMessage(input: {
    channel: string;
    user: string;
    text: string;
    threadTs?: string;
    mention?: boolean;
  }): Promise<{ ts: string; deliveries: DeliveryResult[] }> {
    const text = input.mention === false ? input.text : `<@${BOT_USER_ID}> ${input.text}`;
    const stored = this.userMessage({ ...input, text });
    const deliveries = [await this.sendEvent({ ...messageEvent("message", stored), channel_type: "mpim" })];
    if (input.mention !== false) deliveries.push(await this.sendEvent(messageEvent("app_mention", stored)));
    return { ts: stored.ts, deliveries };
  }

  /**
   * The user opens the app's assistant pane (a new thread in the app's DM); delivers
   * assistant_thread_started with the channel the user was looking at as context.
   */
  async assistantThreadStarted(input: {
    user: string;
    channel: string;
    context?: { channel_id?: string; team_id?: string; enterprise_id?: string | null };
  }): Promise<{ threadTs: string; delivery: DeliveryResult }> {
    const threadTs = this.nextTs();
    const delivery = await this.sendEvent({
      type: "assistant_thread_started",
      assistant_thread: {
        user_id: input.user,
        context: { team_id: TEAM_ID, enterprise_id: null, ...input.context },
        channel_id: input.channel,
        thread_ts: threadTs,
      },
      event_ts: this.nextTs(),
    });
    return { threadTs, delivery };
  }

  /** The user switches channels with the assistant pane open. */
  async assistantContextChanged(input: {
    user: string;
    channel: string;
    threadTs: string;
    context: { channel_id?: string; team_id?: string };
  }): Promise<DeliveryResult> {
    return this.sendEvent({
      type: "assistant_thread_context_changed",
      assistant_thread: {
        user_id: input.user,
        context: { team_id: TEAM_ID, enterprise_id: null, ...input.context },
        channel_id: input.channel,
        thread_ts: input.threadTs,
      },
      event_ts: this.nextTs(),
    });
  }

  /** The user writes in an assistant thread (message.im with thread_ts). */
  async assistantMessage(input: {
    channel: string;
    user: string;
    text: string;
    threadTs: string;
  }): Promise<{ ts: string; delivery: DeliveryResult }> {
    const stored = this.userMessage(input);
    const delivery = await this.sendEvent({ ...messageEvent("message", stored), channel_type: "im" });
    return { ts: stored.ts, delivery };
  }

  /** The user opens the app's Home tab. */
  async appHomeOpened(input: { user: string; tab?: "home" | "messages" }): Promise<DeliveryResult> {
    return this.sendEvent({
      type: "app_home_opened",
      user: input.user,
      channel: `D${input.user.slice(1)}`,
      tab: input.tab ?? "home",
      event_ts: this.nextTs(),
    });
  }

  assistantThread(channel: string, threadTs: string): AssistantThreadState {
    const key = `${channel}:${threadTs}`;
    let state = this.assistantThreads.get(key);
    if (!state) {
      state = { statuses: [], title: null, prompts: null, promptsTitle: null };
      this.assistantThreads.set(key, state);
    }
    return state;
  }

  newEventId(): string {
    return `Ev${String(++this.eventCounter).padStart(8, "0")}`;
  }

  newResponseUrl(): string {
    return `${this.baseUrl}/response/${++this.eventCounter}`;
  }

  // ------------------------------------------------------------------ delivery

  /** Deliver to the bot over HTTP (signed) instead of Socket Mode. */
  useHttp(target: HttpTarget | null): void {
    this.http = target;
  }

  async sendEvent(
    event: Record<string, unknown>,
    options: { eventId?: string; retryAttempt?: number; retryReason?: string } = {},
  ): Promise<DeliveryResult> {
    const payload = eventCallback(event, options.eventId ?? this.newEventId());
    if (this.http) {
      const headers: Record<string, string> = {};
      if (options.retryAttempt !== undefined) {
        headers["X-Slack-Retry-Num"] = String(options.retryAttempt);
        headers["X-Slack-Retry-Reason"] = options.retryReason ?? "http_timeout";
      }
      return postSigned(this.http, JSON.stringify(payload), "application/json", { headers });
    }
    const envelopeId = this.socket.send("events_api", payload, {
      ...(options.retryAttempt !== undefined
        ? { retry_attempt: options.retryAttempt, retry_reason: options.retryReason ?? "timeout" }
        : {}),
    });
    return { ack: await this.socket.waitForAck(envelopeId) };
  }

  /** `/kkr TEXT` from `user` in `channel`. */
  async sendCommand(input: { text: string; user?: string; channel?: string }): Promise<DeliveryResult> {
    const payload = slashCommand({
      text: input.text,
      user: input.user ?? "U1",
      channel: input.channel ?? "C1",
      responseUrl: this.newResponseUrl(),
    });
    if (this.http) {
      const body = new URLSearchParams(payload as Record<string, string>).toString();
      return postSigned(this.http, body, "application/x-www-form-urlencoded");
    }
    const envelopeId = this.socket.send("slash_commands", payload);
    return { ack: await this.socket.waitForAck(envelopeId) };
  }

  /** A click on a button in the App Home view last published for `user`. */
  async sendHomeAction(input: { actionId: string; user: string; index?: number }): Promise<DeliveryResult> {
    const view = this.homeViews.get(input.user);
    if (!view) throw new Error(`no Home view published for ${input.user}`);
    const element = findButtons((view.blocks as unknown[]) ?? [], input.actionId)[input.index ?? 0];
    if (!element) throw new Error(`no button ${input.actionId} in the Home view`);
    const payload = {
      type: "block_actions",
      user: { id: input.user, username: "tester", name: "tester", team_id: TEAM_ID },
      api_app_id: APP_ID,
      token: "verification-token",
      container: { type: "view", view_id: "VHOME" },
      trigger_id: "trigger-3",
      team: { id: TEAM_ID, domain: "kkr-emulator" },
      enterprise: null,
      is_enterprise_install: false,
      view: { id: "VHOME", type: "home", ...view },
      actions: [{ ...element.button, block_id: element.blockId, action_ts: this.nextTs() }],
    };
    if (this.http) {
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      return postSigned(this.http, body, "application/x-www-form-urlencoded");
    }
    const envelopeId = this.socket.send("interactive", payload);
    return { ack: await this.socket.waitForAck(envelopeId) };
  }

  /** A click on a button with `actionId` found in `blocks` (the message's blocks). */
  async sendAction(input: {
    actionId: string;
    blocks: unknown[];
    user?: string;
    channel: string;
    message?: { ts: string; thread_ts?: string; text?: string };
    ephemeral?: boolean;
    /** Pick the n-th button with this action id (find results have several). */
    index?: number;
  }): Promise<DeliveryResult & { responseUrl: string }> {
    const element = findButtons(input.blocks, input.actionId)[input.index ?? 0];
    if (!element) throw new Error(`no button ${input.actionId} in the blocks`);
    const responseUrl = this.newResponseUrl();
    const payload = blockActions({
      user: input.user ?? "U1",
      channel: input.channel,
      action: { ...element.button, block_id: element.blockId, action_ts: this.nextTs() },
      responseUrl,
      ...(input.message && !input.ephemeral ? { message: { ...input.message, blocks: input.blocks } } : {}),
      container: input.ephemeral
        ? {
            type: "message",
            message_ts: input.message?.ts ?? this.nextTs(),
            channel_id: input.channel,
            is_ephemeral: true,
          }
        : {
            type: "message",
            message_ts: input.message?.ts,
            channel_id: input.channel,
            is_ephemeral: false,
            ...(input.message?.thread_ts ? { thread_ts: input.message.thread_ts } : {}),
          },
    });
    if (this.http) {
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      return { ...(await postSigned(this.http, body, "application/x-www-form-urlencoded")), responseUrl };
    }
    const envelopeId = this.socket.send("interactive", payload);
    return { ack: await this.socket.waitForAck(envelopeId), responseUrl };
  }

  // ------------------------------------------------------------------ the Web API

  /** assistant.threads.*: the thread must be in a DM (the app's assistant container). */
  private assistantMethod(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const channelId = String(args.channel_id ?? "");
    const threadTs = String(args.thread_ts ?? "");
    if (!channelId || !threadTs) return { ok: false, error: "invalid_arguments" };
    if (!channelId.startsWith("D")) return { ok: false, error: "channel_not_found" };
    const state = this.assistantThread(channelId, threadTs);
    if (method === "assistant.threads.setStatus") {
      if (typeof args.status !== "string") return { ok: false, error: "invalid_arguments" };
      state.statuses.push(args.status);
    } else if (method === "assistant.threads.setTitle") {
      if (typeof args.title !== "string" || args.title === "")
        return { ok: false, error: "invalid_arguments" };
      state.title = args.title;
    } else {
      const prompts = Array.isArray(args.prompts)
        ? (args.prompts as { title?: unknown; message?: unknown }[])
        : [];
      // Slack takes one to four prompts, each a title and a message.
      if (prompts.length < 1 || prompts.length > 4) return { ok: false, error: "invalid_arguments" };
      if (!prompts.every((p) => typeof p.title === "string" && typeof p.message === "string"))
        return { ok: false, error: "invalid_arguments" };
      state.prompts = prompts as { title: string; message: string }[];
      state.promptsTitle = typeof args.title === "string" ? args.title : null;
    }
    return { ok: true };
  }

  /** chat.startStream / appendStream / stopStream: one message whose text grows, then is final. */
  private streamMethod(
    method: string,
    channel: string,
    args: Record<string, unknown>,
  ): Record<string, unknown> {
    if (!channel) return { ok: false, error: "channel_not_found" };
    if (method === "chat.startStream") {
      if (typeof args.thread_ts !== "string") return { ok: false, error: "invalid_arguments" };
      // Outside a DM Slack needs to know whom the stream is for.
      if (!channel.startsWith("D")) {
        if (typeof args.recipient_team_id !== "string")
          return { ok: false, error: "missing_recipient_team_id" };
        if (typeof args.recipient_user_id !== "string")
          return { ok: false, error: "missing_recipient_user_id" };
      }
      const message: StoredMessage = {
        channel,
        ts: this.nextTs(),
        user: BOT_USER_ID,
        bot_id: BOT_ID,
        text: chunkText(args),
        thread_ts: args.thread_ts,
        streaming: true,
      };
      this.messages.push(message);
      return { ok: true, channel, ts: message.ts };
    }
    const message = this.messages.find((m) => m.channel === channel && m.ts === args.ts);
    if (!message) return { ok: false, error: "message_not_found" };
    if (!message.streaming) return { ok: false, error: "message_not_in_streaming_state" };
    message.text += chunkText(args);
    if (method === "chat.stopStream") {
      message.streaming = false;
      message.blocks = [
        { type: "markdown", text: message.text },
        ...(Array.isArray(args.blocks) ? args.blocks : []),
      ];
      if (isObject(args.metadata)) message.metadata = args.metadata;
      return { ok: true, channel, ts: message.ts, message: { type: "message", ...message } };
    }
    return { ok: true, channel, ts: message.ts };
  }

  private conversationInfo(channel: string): Record<string, unknown> {
    if (!/^[CDG][A-Z0-9]+$/.test(channel)) return { ok: false, error: "channel_not_found" };
    const known = this.channels.get(channel) ?? {};
    const isIm = known.is_im ?? channel.startsWith("D");
    const isMpim = known.is_mpim ?? channel.startsWith("G");
    return {
      ok: true,
      channel: {
        id: channel,
        name: isIm ? undefined : channel.toLowerCase(),
        is_channel: !isIm && !isMpim,
        is_group: false,
        is_im: isIm,
        is_mpim: isMpim,
        is_private: known.is_private ?? (isIm || isMpim),
        created: 1_700_000_000,
        ...(isIm ? { user: known.user ?? "U1" } : { creator: known.creator ?? "UCREATOR" }),
      },
    };
  }

  private record(method: string, args: Record<string, unknown>, token: string | null): ApiCall {
    const call = { method, args, token, seq: ++this.seq };
    this.calls.push(call);
    this.events.emit("call", call);
    return call;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", this.baseUrl);
    const auth = req.headers.authorization;
    const token = auth?.startsWith("Bearer ") ? auth.slice(7) : null;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };

    if (url.pathname.startsWith("/response/")) {
      const args = safeJson(raw.toString("utf8"));
      this.record("response_url", { ...args, response_url: url.href }, token);
      send(200, { ok: true });
      return;
    }
    if (url.pathname.startsWith("/upload/")) {
      // the body (small uploads only) lets tests check which bytes left the machine
      const body = raw.length <= 64 * 1024 ? raw.toString("utf8") : null;
      this.record("file_upload", { file_id: url.pathname.slice(8), bytes: raw.length, body }, token);
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`OK - ${raw.length}`);
      return;
    }
    if (!url.pathname.startsWith("/api/")) {
      send(404, { ok: false, error: "unknown_path" });
      return;
    }
    const method = url.pathname.slice(5);
    const args = parseArgs(raw, req.headers["content-type"] ?? "");
    for (const [k, v] of url.searchParams) args[k] = v;
    const effectiveToken = token ?? (typeof args.token === "string" ? args.token : null);
    delete args.token;
    this.record(method, args, effectiveToken);
    send(200, this.respond(method, args, effectiveToken));
  }

  private respond(
    method: string,
    args: Record<string, unknown>,
    token: string | null,
  ): Record<string, unknown> {
    if (method === "apps.connections.open") {
      if (token !== APP_TOKEN) return { ok: false, error: "invalid_auth" };
      if (this.appTokenError) return { ok: false, error: this.appTokenError };
      return { ok: true, url: this.socket.url };
    }
    if (token !== BOT_TOKEN) return { ok: false, error: token ? "invalid_auth" : "not_authed" };
    if (method === "auth.test") {
      if (this.authTestError) return { ok: false, error: this.authTestError };
      return {
        ok: true,
        url: "https://kkr-emulator.slack.com/",
        team: "KKR Emulator",
        user: "kkr-bot",
        team_id: TEAM_ID,
        user_id: BOT_USER_ID,
        bot_id: BOT_ID,
        is_enterprise_install: false,
      };
    }
    if (this.botTokenError) return { ok: false, error: this.botTokenError };
    const failure = this.failures.get(method)?.shift();
    if (failure) return { ok: false, error: failure };

    const channel = String(args.channel ?? args.channel_id ?? "");
    switch (method) {
      case "chat.postMessage": {
        const message: StoredMessage = {
          channel,
          ts: this.nextTs(),
          user: BOT_USER_ID,
          bot_id: BOT_ID,
          text: String(args.text ?? ""),
          ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
          ...(typeof args.thread_ts === "string" ? { thread_ts: args.thread_ts } : {}),
          ...(isObject(args.metadata) ? { metadata: args.metadata } : {}),
        };
        this.messages.push(message);
        return { ok: true, channel, ts: message.ts, message: { ...message, type: "message" } };
      }
      case "chat.update": {
        const message = this.messages.find((m) => m.channel === channel && m.ts === args.ts);
        if (!message) return { ok: false, error: "message_not_found" };
        message.text = String(args.text ?? "");
        if (Array.isArray(args.blocks)) message.blocks = args.blocks;
        else delete message.blocks;
        if (isObject(args.metadata)) message.metadata = args.metadata;
        return { ok: true, channel, ts: message.ts, text: message.text };
      }
      case "chat.delete": {
        const at = this.messages.findIndex((m) => m.channel === channel && m.ts === args.ts);
        if (at < 0) return { ok: false, error: "message_not_found" };
        this.messages.splice(at, 1);
        return { ok: true, channel, ts: args.ts };
      }
      case "chat.postEphemeral":
        return { ok: true, message_ts: this.nextTs() };
      case "conversations.replies": {
        const ts = String(args.ts ?? "");
        const thread = this.messages
          .filter((m) => m.channel === channel && (m.ts === ts || m.thread_ts === ts))
          .sort((a, b) => (a.ts < b.ts ? -1 : 1))
          .map((m) => ({ type: "message", ...m, channel: undefined }));
        if (thread.length === 0) return { ok: false, error: "thread_not_found" };
        return { ok: true, messages: thread, has_more: false };
      }
      case "assistant.threads.setStatus":
      case "assistant.threads.setTitle":
      case "assistant.threads.setSuggestedPrompts":
        return this.assistantMethod(method, args);
      case "chat.startStream":
      case "chat.appendStream":
      case "chat.stopStream":
        return this.streamMethod(method, channel, args);
      case "views.publish": {
        const view = typeof args.view === "string" ? safeJson(args.view) : args.view;
        if (typeof args.user_id !== "string" || !isObject(view))
          return { ok: false, error: "invalid_arguments" };
        if (view.type !== "home") return { ok: false, error: "invalid_arguments" };
        const blocks = Array.isArray(view.blocks) ? view.blocks : [];
        if (blocks.length > 100) return { ok: false, error: "invalid_blocks" };
        this.homeViews.set(args.user_id, view);
        return { ok: true, view: { id: "VHOME", type: "home", ...view } };
      }
      case "conversations.info":
        return this.conversationInfo(channel);
      case "users.info": {
        const id = String(args.user ?? "");
        if (!/^[UW][A-Z0-9]+$/.test(id)) return { ok: false, error: "user_not_found" };
        const u = this.users.get(id) ?? {};
        return {
          ok: true,
          user: {
            id,
            team_id: TEAM_ID,
            name: id.toLowerCase(),
            deleted: false,
            is_bot: false,
            is_admin: u.is_admin ?? false,
            is_owner: u.is_owner ?? false,
            is_primary_owner: u.is_primary_owner ?? false,
            is_restricted: false,
            ...(args.include_locale === true || args.include_locale === "true"
              ? { locale: u.locale ?? "da-DK" }
              : {}),
          },
        };
      }
      case "files.getUploadURLExternal": {
        const id = `F${String(++this.fileCounter).padStart(6, "0")}`;
        return { ok: true, upload_url: `${this.baseUrl}/upload/${id}`, file_id: id };
      }
      case "files.completeUploadExternal": {
        const files = Array.isArray(args.files) ? (args.files as { id: string; title?: string }[]) : [];
        return {
          ok: true,
          files: files.map((f) => ({ id: f.id, title: f.title ?? "", name: f.title ?? "" })),
        };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }
}

// ------------------------------------------------------------------ payload builders

/** Slack's markdown text of a stream chunk list ({type:"markdown_text", text}). */
function chunkText(args: Record<string, unknown>): string {
  let text = typeof args.markdown_text === "string" ? args.markdown_text : "";
  const chunks = Array.isArray(args.chunks) ? (args.chunks as Record<string, unknown>[]) : [];
  for (const c of chunks) if (c.type === "markdown_text" && typeof c.text === "string") text += c.text;
  return text;
}

export function isPlaceholder(text: string): boolean {
  return /Søger i dokumenterne|Searching the documents/.test(text);
}

export function messageEvent(type: "app_mention" | "message", m: StoredMessage): Record<string, unknown> {
  return {
    type,
    user: m.user,
    text: m.text,
    ts: m.ts,
    channel: m.channel,
    event_ts: m.ts,
    team: TEAM_ID,
    client_msg_id: `cm-${m.ts}`,
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
  };
}

export function eventCallback(event: Record<string, unknown>, eventId: string): Record<string, unknown> {
  return {
    token: "verification-token",
    team_id: TEAM_ID,
    api_app_id: APP_ID,
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

export function slashCommand(input: {
  text: string;
  user: string;
  channel: string;
  responseUrl: string;
}): Record<string, string> {
  return {
    token: "verification-token",
    team_id: TEAM_ID,
    team_domain: "kkr-emulator",
    channel_id: input.channel,
    channel_name: "general",
    user_id: input.user,
    user_name: "tester",
    command: "/kkr",
    text: input.text,
    api_app_id: APP_ID,
    is_enterprise_install: "false",
    response_url: input.responseUrl,
    trigger_id: "trigger-1",
  };
}

export function blockActions(input: {
  user: string;
  channel: string;
  action: Record<string, unknown>;
  responseUrl: string;
  message?: Record<string, unknown>;
  container: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    type: "block_actions",
    user: { id: input.user, username: "tester", name: "tester", team_id: TEAM_ID },
    api_app_id: APP_ID,
    token: "verification-token",
    container: input.container,
    trigger_id: "trigger-2",
    team: { id: TEAM_ID, domain: "kkr-emulator" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel, name: "general" },
    ...(input.message ? { message: { type: "message", user: BOT_USER_ID, ...input.message } } : {}),
    response_url: input.responseUrl,
    actions: [input.action],
  };
}

/** Buttons with `actionId` in a message's blocks (actions blocks and section accessories). */
export function findButtons(
  blocks: unknown[],
  actionId: string,
): { button: Record<string, unknown>; blockId: string }[] {
  const out: { button: Record<string, unknown>; blockId: string }[] = [];
  for (const block of blocks as Record<string, unknown>[]) {
    const blockId = typeof block.block_id === "string" ? block.block_id : "b";
    const candidates = [
      ...(Array.isArray(block.elements) ? (block.elements as Record<string, unknown>[]) : []),
      ...(isObject(block.accessory) ? [block.accessory as Record<string, unknown>] : []),
    ];
    for (const el of candidates) if (el.action_id === actionId) out.push({ button: el, blockId });
  }
  return out;
}

/** All mrkdwn/plain text in blocks, joined, for content assertions. */
export function blocksText(blocks: unknown[] | undefined): string {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      if ((node.type === "mrkdwn" || node.type === "plain_text") && typeof node.text === "string") {
        texts.push(node.text);
      }
      for (const value of Object.values(node)) if (typeof value === "object") walk(value);
    }
  };
  walk(blocks ?? []);
  return texts.join("\n");
}

// ------------------------------------------------------------------ HTTP mode signing

/** Slack's v0 request signature: HMAC-SHA256 of `v0:timestamp:body` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export async function postSigned(
  target: HttpTarget,
  body: string,
  contentType: string,
  options: { timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
): Promise<DeliveryResult> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(target.url, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": options.signature ?? slackSignature(target.signingSecret, timestamp, body),
      ...options.headers,
    },
    body,
  });
  return { status: res.status, body: await res.text() };
}

// ------------------------------------------------------------------ utilities

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return isObject(v) ? v : { value: v };
  } catch {
    return { raw: text };
  }
}

function parseArgs(raw: Buffer, contentType: string): Record<string, unknown> {
  const text = raw.toString("utf8");
  if (contentType.includes("application/json")) return safeJson(text);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parseQuery(text))) {
    const value = Array.isArray(v) ? v[0] : v;
    if (typeof value !== "string") continue;
    // The SDK JSON-encodes objects (blocks, metadata, files) inside the form.
    out[k] = /^[[{]/.test(value)
      ? (() => {
          try {
            return JSON.parse(value) as unknown;
          } catch {
            return value;
          }
        })()
      : value;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
