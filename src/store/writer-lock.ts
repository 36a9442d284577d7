import { KkrError } from "../errors.js";
import { acquireAzureLease } from "./azure-lease.js";
import { acquireIngestLock, type IngestLock } from "./lock.js";
import type { DbLocation, ObjectStoreAccess } from "./object-store.js";

export type StoreRole = "writer" | "reader" | "all";

export interface WriterLockTarget {
  uri: string;
  location: DbLocation;
  access: ObjectStoreAccess;
  localDir: string | null;
  role: StoreRole;
}

export const WRITER_LOCK_NAME = ".kkr-writer.lock";

/**
 * The one place that decides who may write documents: readers never do, and on each
 * kind of store one writer at a time (a lock file locally, a blob lease on Azure).
 * S3 and GCS have no lock here yet: the writer role is their only guard.
 */
export async function acquireWriterLock(
  target: WriterLockTarget,
  options: { now?: () => Date; onLost?: (error: Error) => void; warn?: (message: string) => void } = {},
): Promise<IngestLock> {
  if (target.role === "reader") {
    throw new KkrError(
      "ROLE_READER",
      `This process is a reader (KKR_ROLE=reader) and never writes documents to ${target.uri}. ` +
        "Run ingest or sync in the writer job (KKR_ROLE=writer), or unset KKR_ROLE.",
    );
  }
  if (target.localDir) return acquireIngestLock(target.localDir, options.now);
  const { location, access } = target;
  if (location.scheme === "az" && access.azure) {
    return acquireAzureLease(access.azure, {
      container: location.bucket,
      blobPath: [location.prefix, WRITER_LOCK_NAME].filter(Boolean).join("/"),
      ...(options.now ? { now: options.now } : {}),
      ...(options.onLost ? { onLost: options.onLost } : {}),
    });
  }
  options.warn?.(
    `no writer lock on ${location.scheme}:// yet: run exactly one writer (KKR_ROLE=writer) and make the bot replicas readers`,
  );
  return { release: () => {} };
}
