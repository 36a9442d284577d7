import { describeError, KkrError } from "../errors.js";

const READ_ONLY = /\b(EACCES|EROFS|EPERM)\b|permission denied|read-only file system/i;

/**
 * A write refused by the file system (permissions, a read-only mount) as the error the
 * user can act on, or null for any other error. LanceDB reports these from Rust with its
 * own wording, Node with an errno code; both are recognised.
 */
export function readOnlyError(where: string, error: unknown): KkrError | null {
  if (error instanceof KkrError) return null;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const errno = code !== undefined && READ_ONLY.test(code);
  if (!errno && !READ_ONLY.test(describeError(error))) return null;
  // Lance's message carries Rust source paths and a cause chain: keep the file it names
  const path = /at path "([^"]+)"/.exec(describeError(error))?.[1];
  const reason = errno ? describeError(error) : `permission denied${path ? ` writing ${path}` : ""}`;
  return new KkrError(
    "INDEX_READ_ONLY",
    `The index at ${where} is read-only (${reason}). ` +
      "Make the folder writable for this user, or point --db / KKR_DB at a writable location.",
    { cause: error },
  );
}
