import { EventEmitter } from "node:events";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * A local Socket Mode endpoint speaking Slack's protocol: `hello` on connect, envelopes
 * (`events_api`, `slash_commands`, `interactive`) pushed by the test, acks recorded by
 * envelope_id, and `disconnect` messages. apps.connections.open (in the emulator)
 * hands out `url`.
 */

export interface Envelope {
  envelope_id: string;
  type: "events_api" | "slash_commands" | "interactive";
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface Ack {
  envelope_id: string;
  payload: Record<string, unknown> | undefined;
}

export class SocketModeServer {
  readonly url: string;
  /** Connections ever opened (reconnects add one each). */
  connectionCount = 0;
  readonly acks = new Map<string, Ack>();
  private readonly sockets = new Set<WebSocket>();
  private readonly events = new EventEmitter();
  private nextEnvelope = 1;

  private constructor(
    private readonly server: WebSocketServer,
    port: number,
  ) {
    this.url = `ws://127.0.0.1:${port}/link`;
    this.events.setMaxListeners(100);
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      this.connectionCount++;
      socket.on("close", () => this.sockets.delete(socket));
      socket.on("message", (data) => {
        try {
          const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
          if (msg.envelope_id) {
            const ack = { envelope_id: msg.envelope_id, payload: msg.payload };
            this.acks.set(msg.envelope_id, ack);
            this.events.emit("ack", ack);
          }
        } catch {
          // not an ack; ignore
        }
      });
      socket.send(
        JSON.stringify({
          type: "hello",
          num_connections: this.sockets.size,
          debug_info: { host: "slack-emulator", approximate_connection_time: 18_060 },
          connection_info: { app_id: "A0KKRBOT" },
        }),
      );
      this.events.emit("connection", this.connectionCount);
    });
  }

  static async start(): Promise<SocketModeServer> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    return new SocketModeServer(server, (server.address() as AddressInfo).port);
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  /** Resolves once `count` connections have been opened in total. */
  async waitForConnection(count = 1, timeoutMs = 5_000): Promise<void> {
    if (this.connectionCount >= count) return;
    await withTimeout(timeoutMs, `socket connection #${count}`, (done) => {
      const on = (n: number) => {
        if (n >= count) {
          this.events.off("connection", on);
          done();
        }
      };
      this.events.on("connection", on);
    });
  }

  /** Pushes an envelope to the newest open connection; returns its envelope_id. */
  send(type: Envelope["type"], payload: Record<string, unknown>, extra: Partial<Envelope> = {}): string {
    const socket = [...this.sockets].pop();
    if (!socket) throw new Error("no Socket Mode connection is open");
    const envelope: Envelope = {
      envelope_id: extra.envelope_id ?? `env-${this.nextEnvelope++}`,
      type,
      payload,
      accepts_response_payload: type !== "events_api",
      ...extra,
    };
    socket.send(JSON.stringify(envelope));
    return envelope.envelope_id;
  }

  async waitForAck(envelopeId: string, timeoutMs = 5_000): Promise<Ack> {
    const existing = this.acks.get(envelopeId);
    if (existing) return existing;
    return withTimeout(timeoutMs, `ack of ${envelopeId}`, (done: (ack: Ack) => void) => {
      const on = (ack: Ack) => {
        if (ack.envelope_id === envelopeId) {
          this.events.off("ack", on);
          done(ack);
        }
      };
      this.events.on("ack", on);
    });
  }

  /** Slack's "please reconnect" message (e.g. refresh_requested, link_disabled). */
  sendDisconnect(reason = "refresh_requested"): void {
    for (const socket of this.sockets) socket.send(JSON.stringify({ type: "disconnect", reason }));
  }

  /** Simulates network loss: connections die without a close handshake. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function withTimeout<T = void>(
  ms: number,
  what: string,
  start: (done: (value: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    start((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
