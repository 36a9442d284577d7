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
