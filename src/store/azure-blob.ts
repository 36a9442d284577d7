import { createHmac } from "node:crypto";
import { KkrError } from "../errors.js";

/**
 * The few Blob REST calls kkr needs beside LanceDB: create a container, and take a blob
 * lease for the single-writer lock. Hand-written with Shared Key signing because
 * @azure/storage-blob installs 50 MB in 22 packages for these four calls.
 * https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key
 */
export interface AzureAccount {
  name: string;
  /** base64 account key (Shared Key auth); or a SAS token instead. */
  key?: string | undefined;
  sas?: string | undefined;
  /** Blob endpoint without a trailing slash, e.g. https://acct.blob.core.windows.net or Azurite's http://127.0.0.1:10000/devstoreaccount1. */
  endpoint: string;
}

const API_VERSION = "2021-08-06";

export interface BlobResponse {
  status: number;
  headers: Headers;
  body: string;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

function canonicalResource(account: string, url: URL): string {
  let out = `/${account}${url.pathname}`;
  const params = new Map<string, string[]>();
  for (const [k, v] of url.searchParams) {
    const key = k.toLowerCase();
    params.set(key, [...(params.get(key) ?? []), v]);
  }
  for (const key of [...params.keys()].sort()) out += `\n${key}:${(params.get(key) ?? []).sort().join(",")}`;
  return out;
}

export function signSharedKey(
  account: AzureAccount & { key: string },
  method: string,
  url: URL,
  headers: Record<string, string>,
): string {
  const h = (name: string) => headers[name] ?? "";
  const length = h("content-length");
  const msHeaders = Object.keys(headers)
    .filter((k) => k.startsWith("x-ms-"))
    .sort()
    .map((k) => `${k}:${headers[k]}\n`)
    .join("");
  const toSign = [
    method,
    h("content-encoding"),
    h("content-language"),
    length === "0" ? "" : length,
    h("content-md5"),
    h("content-type"),
    "", // Date: x-ms-date is sent instead
    h("if-modified-since"),
    h("if-match"),
    h("if-none-match"),
    h("if-unmodified-since"),
    h("range"),
  ].join("\n");
  const signature = createHmac("sha256", Buffer.from(account.key, "base64"))
    .update(`${toSign}\n${msHeaders}${canonicalResource(account.name, url)}`, "utf8")
    .digest("base64");
  return `SharedKey ${account.name}:${signature}`;
}

export async function blobRequest(
  account: AzureAccount,
  method: string,
  path: string,
  options: {
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: string;
    fetch?: FetchLike;
  } = {},
): Promise<BlobResponse> {
  const url = new URL(`${account.endpoint}/${path.split("/").map(encodeURIComponent).join("/")}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  if (!account.key && account.sas) {
    for (const [k, v] of new URLSearchParams(account.sas.replace(/^\?/, ""))) url.searchParams.set(k, v);
  }
  const body = options.body ?? "";
  const headers: Record<string, string> = {
    "x-ms-date": new Date().toUTCString(),
    "x-ms-version": API_VERSION,
    "content-length": String(Buffer.byteLength(body)),
    ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  if (account.key)
    headers.authorization = signSharedKey({ ...account, key: account.key }, method, url, headers);
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url.toString(), {
      method,
      headers, // a Buffer, not a string: fetch would add a Content-Type the signature does not cover
      ...(method === "PUT" ? { body: Buffer.from(body) } : {}),
    });
  } catch (error) {
    // The URL carries no secret unless a SAS is used: name only host and path.
    throw new KkrError(
      "DB_ERROR",
      `Could not reach Azure Blob Storage at ${url.origin}${url.pathname}: ${(error as Error).message}. Check the endpoint in AZURE_STORAGE_CONNECTION_STRING.`,
      { cause: error },
    );
  }
  return { status: res.status, headers: res.headers, body: await res.text() };
}

function errorCode(res: BlobResponse): string {
  return (
    res.headers.get("x-ms-error-code") ?? /<Code>([^<]+)<\/Code>/.exec(res.body)?.[1] ?? String(res.status)
  );
}

/** Creates the container unless it exists (409 ContainerAlreadyExists is fine). */
export async function ensureContainer(account: AzureAccount, container: string, fetchImpl?: FetchLike) {
  const res = await blobRequest(account, "PUT", container, {
    query: { restype: "container" },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  if (res.status === 201 || res.status === 409) return;
  // 403 with a SAS or a key scoped to blobs only: LanceDB may still work if the container exists.
  throw new KkrError(
    "DB_ERROR",
    `Could not create the container ${container} (${res.status} ${errorCode(res)}). Create it, or give the credentials the right to.`,
  );
}

export { errorCode as blobErrorCode };
