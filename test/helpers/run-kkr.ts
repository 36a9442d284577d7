import { spawn } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript entry (default the CLI) in a child process without blocking this one,
 * so a server the test runs in-process (s3rver, the Slack emulator) keeps answering.
 */
export function runKkr(
  args: string[],
  env: Record<string, string>,
  options: { entry?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["--import", "tsx", options.entry ?? "src/cli/main.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, KKR_LOG_LEVEL: "warn", OPENAI_API_KEY: "", OPENAI_BASE_URL: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

export interface ReplicaProcess {
  /** The port of /healthz and /readyz (HEALTH_PORT=0 picks one; read from the log). */
  healthPort(): Promise<number>;
  /** Types a question into the console chat and returns what it printed. */
  ask(question: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** `kkr serve --no-sync` without Slack: a replica with its console chat on stdin/stdout. */
export function startReplica(env: Record<string, string>): ReplicaProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--no-sync"], {
    cwd: ROOT,
    env: {
      ...process.env,
      OPENAI_API_KEY: "",
      OPENAI_BASE_URL: "",
      SLACK_BOT_TOKEN: "",
      SLACK_APP_TOKEN: "",
      SLACK_SIGNING_SECRET: "",
      KKR_LOG_LEVEL: "info",
      KKR_LOG_FORMAT: "json",
      ...env,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<void>((done) => child.on("close", () => done()));
  const waitFor = async <T>(find: () => T | null, timeoutMs: number, what: string): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== null) return found;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${what}; stderr:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    healthPort: () =>
      waitFor(
        () => {
          const m = /"port":(\d+)[^\n]*"msg":"health checks/.exec(stderr);
          return m ? Number(m[1]) : null;
        },
        30_000,
        "no health port in the log",
      ),
    ask: async (question, timeoutMs = 20_000) => {
      const start = stdout.length;
      child.stdin.write(`${question}\n`);
      // an answer ends with its sources (or says nothing was found)
      return waitFor(
        () => {
          const out = stdout.slice(start);
          return /Kilder:|Sources:|ikke finde/.test(out) ? out : null;
        },
        timeoutMs,
        "no answer",
      );
    },
    stop: async () => {
      child.stdin.end(); // end of input quits the console chat
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
