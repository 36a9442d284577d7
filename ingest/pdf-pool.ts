/**
 * A few long-lived PDF parser processes. Each PDF is parsed in one of them under a hard
 * memory limit: RLIMIT_DATA (`ulimit -d`), which bounds the V8 heap, ArrayBuffers and
 * native allocations alike — worker threads' resourceLimits bound only the JS heap, and a
 * 2.6 MB decompression bomb inflates into gigabytes of ArrayBuffers outside it. A PDF
 * that needs more memory, hangs past the deadline or crashes the parser fails alone (the
 * process is killed and replaced) with a reason; healthy processes are reused, which saves
 * loading pdf.js for every file. Idle processes don't keep the bot alive.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describeError, KkrError } from "../src/errors.js";
import type { PdfWorkerResult } from "./pdf-worker.js";

export type PdfParseResult =
  | PdfWorkerResult
  | { ok: false; errorName: "Killed" | "NotStarted" | "Timeout"; message: string };

// Same extension as this module: .ts under tsx (tests, bench), .js when compiled to dist/.
const moduleExt = extname(fileURLToPath(import.meta.url));
const workerUrl = new URL(`./pdf-worker${moduleExt}`, import.meta.url);

/** Exit code of the shell wrapper when the memory limit cannot be set. */
const NO_LIMIT_EXIT = 97;

function tryResolve(specifier: string): string | null {
  try {
    return import.meta.resolve(specifier);
  } catch {
    return null;
  }
}

/** The pdf.js worker module pdf-parse would load lazily (it sets globalThis.pdfjsWorker). */
function pdfJsWorkerUrl(): string | null {
  try {
    const require = createRequire(fileURLToPath(import.meta.resolve("pdf-parse")));
    return pathToFileURL(require.resolve("pdfjs-dist/legacy/build/pdf.worker.mjs")).href;
  } catch {
    return null; // only an optimisation
  }
}

/**
 * Node arguments that start the parser. Under tsx (tests, bench) a tiny bootstrap loads
 * pdf-parse and pdf.js's worker code before registering tsx — they are plain JS, and tsx
 * would spend about a second transforming pdf.js — then imports the .ts entry.
 */
function nodeArgs(memoryMb: number): string[] {
  // V8 collects garbage before its heap reaches the process limit rather than dying at it
  const heap = `--max-old-space-size=${Math.max(64, Math.floor(memoryMb * 0.75))}`;
  const tsxApi = moduleExt === ".ts" ? tryResolve("tsx/esm/api") : null;
  if (tsxApi === null) return [heap, fileURLToPath(workerUrl)];
  const preload = [import.meta.resolve("pdf-parse"), pdfJsWorkerUrl()].filter((u) => u !== null);
  const bootstrap = [
    ...preload.map((u) => `await import(${JSON.stringify(u)});`),
    `(await import(${JSON.stringify(tsxApi)})).register();`,
    `await import(${JSON.stringify(workerUrl.href)});`,
  ].join("\n");
  return [heap, "--input-type=module", "-e", bootstrap];
}

/** Starts one parser process with its data segment capped at `memoryMb`. */
function spawnParser(memoryMb: number): ChildProcess {
  const args = nodeArgs(memoryMb);
  const options = {
    stdio: ["ignore", "ignore", "ignore", "ipc"] as ("ignore" | "ipc")[],
    serialization: "advanced" as const,
  };
  // No POSIX shell to set the limit with: the V8 heap limit is all there is (see README).
  if (process.platform === "win32") return spawn(process.execPath, args, options);
  const kb = String(memoryMb * 1024);
  return spawn(
    "/bin/sh",
    [
      "-c",
      `ulimit -d "$1" || exit ${NO_LIMIT_EXIT}; shift; exec "$@"`,
      "kkr-pdf",
      kb,
      process.execPath,
      ...args,
    ],
    options,
  );
}

interface Parser {
  child: ChildProcess;
  /** Set when the process exited: its reason for the job in flight. */
  exited: string | null;
  /** It could not start (no shell, no memory limit): not the PDF's doing. */
  setupFailed: boolean;
}

export class PdfParserPool {
  private idle: Parser[] = [];
  private busy = 0;
  private queue: (() => void)[] = [];
  private nextId = 1;

  constructor(
    private readonly size: number,
    readonly memoryMb: number,
  ) {}

  async parse(bytes: Uint8Array, timeoutMs: number): Promise<PdfParseResult> {
    if (this.busy >= this.size) await new Promise<void>((go) => this.queue.push(go));
    this.busy++;
    let parser: Parser;
    try {
      parser = this.idle.pop() ?? this.spawn();
    } catch (error) {
      this.release(null);
      throw new KkrError("PARSE_FAILED", `PDF parser could not start: ${describeError(error)}`, {
        cause: error,
      });
    }
    this.hold(parser, true);
    const id = this.nextId++;
    return new Promise<PdfParseResult>((resolve) => {
      const done = (result: PdfParseResult, keep: boolean) => {
        clearTimeout(timer);
        parser.child.off("message", onMessage);
        parser.child.off("exit", onExit);
        parser.child.off("error", onExit);
        if (!keep) parser.child.kill("SIGKILL");
        this.release(keep ? parser : null);
        resolve(result);
      };
      const onMessage = (msg: PdfWorkerResult & { id?: number }) => {
        if (msg.id !== id) return;
        const { id: _id, ...result } = msg;
        // a process that ran out of memory may be left in a bad state: replace it
        done(result as PdfWorkerResult, result.ok || result.errorName !== "OutOfMemory");
      };
      const onExit = () =>
        done(
          {
            ok: false,
            errorName: parser.setupFailed ? "NotStarted" : "Killed",
            message: parser.exited ?? "exited",
          },
          false,
        );
      const timer = setTimeout(
        () => done({ ok: false, errorName: "Timeout", message: `after ${timeoutMs} ms` }, false),
        timeoutMs,
      );
      parser.child.on("message", onMessage);
      parser.child.once("exit", onExit);
      // a process that could not even start (no /bin/sh) reports only an error
      parser.child.once("error", onExit);
      if (parser.exited !== null) {
        onExit();
        return;
      }
      parser.child.send({ id, data: bytes }, (error) => {
        if (error) done({ ok: false, errorName: "Killed", message: describeError(error) }, false);
      });
    });
  }

  private spawn(): Parser {
    const child = spawnParser(this.memoryMb);
    const parser: Parser = { child, exited: null, setupFailed: false };
    child.once("exit", (code, signal) => {
      if (code === NO_LIMIT_EXIT) parser.setupFailed = true;
      parser.exited =
        code === NO_LIMIT_EXIT
          ? `cannot set a ${this.memoryMb} MB memory limit (ulimit -d); lower KKR_PDF_MAX_MEMORY_MB`
          : signal
            ? `killed by ${signal}`
            : `exited with code ${code}`;
      this.idle = this.idle.filter((p) => p !== parser);
    });
    child.on("error", (error) => {
      parser.setupFailed = true;
      parser.exited ??= describeError(error);
    });
    return parser;
  }

  /** A busy process keeps the bot running; an idle one must not. */
  private hold(parser: Parser, busy: boolean): void {
    const channel = parser.child.channel as { ref(): void; unref(): void } | null | undefined;
    if (busy) {
      parser.child.ref();
      channel?.ref();
    } else {
      parser.child.unref();
      channel?.unref();
    }
  }

  /** Back to the idle list (a healthy process) or gone (null: killed, crashed, out of memory). */
  private release(parser: Parser | null): void {
    this.busy--;
    if (parser && parser.exited === null) {
      this.hold(parser, false);
      this.idle.push(parser);
    }
    this.queue.shift()?.();
  }
}

const pools = new Map<number, PdfParserPool>();

/** The shared pool for a memory limit (one per limit: the limit is fixed when a process starts). */
export function pdfParserPool(memoryMb: number): PdfParserPool {
  let pool = pools.get(memoryMb);
  if (!pool) {
    pool = new PdfParserPool(Math.max(2, Math.min(4, availableParallelism())), memoryMb);
    pools.set(memoryMb, pool);
  }
  return pool;
}
