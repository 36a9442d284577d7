import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KkrError } from "../errors.js";

/**
 * Liveness and readiness for a container platform. /healthz: the process answers.
 * /readyz: the index is open and holds documents and Slack accepted the token, so the
 * replica may take traffic; 503 while starting, after a fatal Slack error, and while
 * shutting down (the platform stops routing to it first).
 */
export interface Readiness {
  ready: boolean;
  checks: { index: boolean; documents: number; slack: boolean | null; stopping: boolean };
}

export type ReadinessCheck = () => Promise<Readiness>;

export interface ReadinessState {
  /** null: no Slack in this mode (console); otherwise whether auth is ok */
  slack: boolean | null;
  stopping: boolean;
}

/** The readiness of a serving replica, from its index document count and its Slack state. */
export function readinessCheck(countDocuments: () => Promise<number>, state: ReadinessState): ReadinessCheck {
  return async () => {
    let documents = 0;
    let index = false;
    try {
      documents = await countDocuments();
      index = true;
    } catch {
      // an index that can't be read is simply not ready; the logs say why
    }
    const slackOk = state.slack !== false;
    return {
      ready: index && documents > 0 && slackOk && !state.stopping,
      checks: { index, documents, slack: state.slack, stopping: state.stopping },
    };
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** The two routes, for Bolt's customRoutes (HTTP mode) and the standalone server alike. */
export function healthRoutes(check: ReadinessCheck): { path: string; method: string[]; handler: Handler }[] {
  return [
    { path: "/healthz", method: ["GET", "HEAD"], handler: (_req, res) => send(res, 200, { ok: true }) },
    {
      path: "/readyz",
      method: ["GET", "HEAD"],
      handler: (_req, res) => {
        check().then(
          (r) => send(res, r.ready ? 200 : 503, r),
          () => send(res, 503, { ready: false }),
        );
      },
    },
  ];
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/** Socket Mode and console: the same routes on their own port (HEALTH_PORT). */
export async function startHealthServer(
  port: number,
  check: ReadinessCheck,
  host = "0.0.0.0",
): Promise<HealthServer> {
  const routes = healthRoutes(check);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const route = routes.find((r) => r.path === path && r.method.includes(req.method ?? "GET"));
    if (route) route.handler(req, res);
    else send(res, 404, { error: "not found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(
        new KkrError(
          "CONFIG_INVALID",
          `Could not listen on HEALTH_PORT ${port} (${error.message}). Choose another port.`,
          {
            cause: error,
          },
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
