import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { KkrError } from "../errors.js";
import { type AzureAccount, blobErrorCode, blobRequest, type FetchLike } from "./azure-blob.js";
import type { IngestLock } from "./lock.js";

/**
 * One writer per index on Azure: a blob lease on `<index>/.kkr-writer.lock`, enforced by
 * the storage service itself. The lease runs for `leaseS` seconds and is renewed at a
 * third of that while the writer works, so a writer that dies (killed container, lost
 * node) frees the index within `leaseS` seconds without anyone deleting anything.
 */
export interface AzureLeaseOptions {
  container: string;
  blobPath: string;
  /** 15–60 s (the service's range for a finite lease) */
  leaseS?: number;
  now?: () => Date;
  fetch?: FetchLike;
  onLost?: (error: Error) => void;
}

export async function acquireAzureLease(
  account: AzureAccount,
  options: AzureLeaseOptions,
): Promise<IngestLock> {
  const leaseS = Math.min(60, Math.max(15, options.leaseS ?? 60));
  const path = `${options.container}/${options.blobPath}`;
  const f = options.fetch ? { fetch: options.fetch } : {};
  // The lock blob exists once; If-None-Match: * keeps an existing (perhaps leased) one.
  const put = await blobRequest(account, "PUT", path, {
    headers: { "x-ms-blob-type": "BlockBlob", "if-none-match": "*" },
    ...f,
  });
  if (![201, 409, 412].includes(put.status)) {
    throw new KkrError(
      "DB_ERROR",
      `Could not create the writer lock ${path} (${put.status} ${blobErrorCode(put)}).`,
    );
  }
  const leaseId = randomUUID();
  const acquired = await blobRequest(account, "PUT", path, {
    query: { comp: "lease" },
    headers: {
      "x-ms-lease-action": "acquire",
      "x-ms-lease-duration": String(leaseS),
      "x-ms-proposed-lease-id": leaseId,
    },
    ...f,
  });
  if (acquired.status === 409) {
    const holder = await blobRequest(account, "HEAD", path, f);
    const who = holder.headers.get("x-ms-meta-holder") ?? "another process";
    const since = holder.headers.get("x-ms-meta-since") ?? "?";
    throw new KkrError(
      "INGEST_LOCKED",
      `Another writer holds the index (${who}, since ${since}). Run one writer (KKR_ROLE=writer) per index; ` +
        `a writer that died frees it within ${leaseS} s.`,
    );
  }
  if (acquired.status !== 201) {
    throw new KkrError(
      "DB_ERROR",
      `Could not lease the writer lock ${path} (${acquired.status} ${blobErrorCode(acquired)}).`,
    );
  }
  const now = options.now ?? (() => new Date());
  await blobRequest(account, "PUT", path, {
    query: { comp: "metadata" },
    headers: {
      "x-ms-lease-id": leaseId,
      "x-ms-meta-holder": `pid ${process.pid} on ${hostname()}`,
      "x-ms-meta-since": now().toISOString(),
    },
    ...f,
  });

  const lease = (action: string) =>
    blobRequest(account, "PUT", path, {
      query: { comp: "lease" },
      headers: { "x-ms-lease-action": action, "x-ms-lease-id": leaseId },
      ...f,
    });
  let released = false;
  const timer = setInterval(
    () => {
      void lease("renew").then(
        (r) => {
          if (r.status !== 200 && !released)
            options.onLost?.(new Error(`lease renewal: ${r.status} ${blobErrorCode(r)}`));
        },
        (error: Error) => options.onLost?.(error),
      );
    },
    (leaseS * 1000) / 3,
  );
  timer.unref();
  return {
    // Best effort: a lease not released expires by itself within leaseS.
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      await lease("release").catch(() => {});
    },
  };
}
