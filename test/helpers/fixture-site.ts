import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local web site for sync tests, on 127.0.0.1 with a random port. Files are served with
 * ETag and Last-Modified and answer conditional requests with 304, as real CMSs do; routes
 * can be replaced by handlers that misbehave (404, 500, slow, redirect loops, cut-off
 * bodies). Every request is recorded with its headers.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  at: number;
  /** The status sent (set when the response ends; null if the connection was cut). */
  status: number | null;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, site: FixtureSite) => void | Promise<void>;

interface FileRoute {
  body: Buffer;
  type: string;
  etag: string;
  lastModified: string;
}

export class FixtureSite {
  readonly requests: RecordedRequest[] = [];
  private readonly files = new Map<string, FileRoute>();
  private readonly handlers = new Map<string, Handler>();
  private modifiedCounter = 0;
  /** Requests being answered right now (for the one-at-a-time check). */
  inFlight = 0;
  maxInFlight = 0;

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<FixtureSite> {
    let site: FixtureSite | null = null;
    const server = createServer((req, res) => {
      void site?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    site = new FixtureSite(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return site;
  }

  get host(): string {
    return new URL(this.origin).host;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** Serves `body` at `path` with a content hash ETag and a Last-Modified that moves on each change. */
  setFile(path: string, body: Buffer | string, type: string): void {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
    this.modifiedCounter++;
    this.files.set(path, {
      body: bytes,
      type,
      etag: `"${createHash("sha1").update(bytes).digest("hex").slice(0, 16)}"`,
      lastModified: new Date(Date.UTC(2024, 0, 1) + this.modifiedCounter * 60_000).toUTCString(),
    });
    this.handlers.delete(path);
  }

  html(path: string, html: string): void {
    this.setFile(path, html, "text/html; charset=utf-8");
  }

  /** Replaces what `path` answers with a handler (until setFile or clear). */
  on(path: string, handler: Handler): void {
    this.handlers.set(path, handler);
  }

  clear(path: string): void {
    this.handlers.delete(path);
    this.files.delete(path);
  }

  /** The stored file (for handlers that want to misbehave with real content). */
  file(path: string): FileRoute | undefined {
    return this.files.get(path);
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  resetRequests(): void {
    this.requests.length = 0;
    this.maxInFlight = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? "/";
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      at: Date.now(),
      status: null,
    };
    this.requests.push(record);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on("finish", () => {
      record.status = res.statusCode;
    });
    res.on("close", () => {
      this.inFlight--;
    });
    try {
      const handler = this.handlers.get(path);
      if (handler) {
        await handler(req, res, this);
        return;
      }
      const file = this.files.get(path);
      if (!file) {
        res.writeHead(404, { "content-type": "text/html" }).end("<h1>Ikke fundet</h1>");
        return;
      }
      serveFile(req, res, file);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  }
}

/** A file with validators; 304 when the request's If-None-Match / If-Modified-Since still hold. */
export function serveFile(req: IncomingMessage, res: ServerResponse, file: FileRoute): void {
  const noneMatch = req.headers["if-none-match"];
  const since = req.headers["if-modified-since"];
  const headers = { etag: file.etag, "last-modified": file.lastModified };
  if (noneMatch !== undefined ? noneMatch === file.etag : since === file.lastModified) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, "content-type": file.type, "content-length": String(file.body.length) });
  res.end(file.body);
}
