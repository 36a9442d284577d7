/**
 * One error type for everything kkr-bot reports to a user. `code` is stable (tests,
 * --json output and Slack rendering switch on it); `message` says how to fix it.
 */
export type KkrErrorCode =
  | "CONFIG_INVALID"
  | "DB_MISSING"
  | "DB_ERROR"
  | "INDEX_EMPTY"
  | "EMBEDDER_MISMATCH"
  | "EMBEDDER_FAILED"
  | "LLM_FAILED"
  | "INGEST_LOCKED"
  | "INDEX_READ_ONLY"
  | "DOCS_DIR_MISSING"
  | "DOCS_DIR_UNREADABLE"
  | "PRUNE_REFUSED"
  | "QUESTION_EMPTY"
  | "QUESTION_TOO_LONG"
  | "BAD_ARGUMENT"
  | "MEETING_NOT_FOUND"
  | "MEETING_AMBIGUOUS"
  | "PARSE_FAILED"
  | "SLACK_AUTH"
  | "SOURCES_INVALID";

export class KkrError extends Error {
  readonly code: KkrErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: KkrErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KkrError";
    this.code = code;
    this.details = options?.details;
  }
}

export function isKkrError(error: unknown, code?: KkrErrorCode): error is KkrError {
  return error instanceof KkrError && (code === undefined || error.code === code);
}

/** A short, secret-free description of any thrown value, for logs and skip reasons. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? error.name;
  return String(error);
}
