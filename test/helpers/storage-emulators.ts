import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

/** Azurite's well-known development account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export interface Azurite {
  port: number;
  endpoint: string;
  connectionString: string;
  /** env for kkr: the connection string, as a deployment sets it */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * A real Azurite blob service on 127.0.0.1 with a temp folder, telemetry off. Null (with
 * the reason) only when the emulator can't start on this machine.
 */
export async function startAzurite(): Promise<Azurite | { skip: string }> {
  const bin = join(ROOT, "node_modules/azurite/dist/src/blob/main.js");
  if (!existsSync(bin)) return { skip: `azurite is not installed (${bin}); run npm ci` };
  const dir = mkdtempSync(join(tmpdir(), "kkr-azurite-"));
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        bin,
        "--blobHost",
        "127.0.0.1",
        "--blobPort",
        String(port),
        "--location",
        dir,
        "--silent",
        "--disableTelemetry",
        "--skipApiVersionCheck",
        "--loose",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const started = await waitForLine(child, /successfully listens/, 20_000);
    if (started === true) {
      const endpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
      const connectionString =
        `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
        `BlobEndpoint=${endpoint};`;
      return {
        port,
        endpoint,
        connectionString,
        env: { AZURE_STORAGE_CONNECTION_STRING: connectionString },
        stop: async () => {
          await stopChild(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await stopChild(child);
    if (attempt === 2) {
      rmSync(dir, { recursive: true, force: true });
      return { skip: `Azurite did not start: ${started}` };
    }
  }
  return { skip: "Azurite did not start" };
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<true | string> {
  return new Promise((resolveWait) => {
    let output = "";
    const timer = setTimeout(
      () => resolveWait(`no "listening" line within ${timeoutMs} ms: ${output}`),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      output += d.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolveWait(true);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolveWait(`exited with ${code}: ${output}`);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => {
    child.once("exit", () => done());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
  });
}

export interface FakeS3 {
  endpoint: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** s3rver (a fake S3 in this process) on 127.0.0.1 with a temp folder. */
export async function startS3rver(buckets: string[] = []): Promise<FakeS3 | { skip: string }> {
  let S3rver: typeof import("s3rver").default;
  try {
    S3rver = (await import("s3rver")).default;
  } catch (error) {
    return { skip: `s3rver is not installed: ${(error as Error).message}` };
  }
  const dir = mkdtempSync(join(tmpdir(), "kkr-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    // s3rver's fixed credentials
    env: {
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: endpoint,
    },
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
