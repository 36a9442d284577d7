import { KkrError } from "../errors.js";
import type { AzureAccount } from "./azure-blob.js";

/**
 * Where the index lives, and the storage options LanceDB gets for it. Credentials come
 * from each cloud's standard variables; the options hold secrets, so nothing here logs
 * them and errors name variables, never values.
 */
export type DbScheme = "local" | "az" | "s3" | "gs";

export interface DbLocation {
  scheme: DbScheme;
  /** container (az) or bucket (s3, gs); "" for local */
  bucket: string;
  /** path inside the bucket, without leading or trailing slash */
  prefix: string;
}

export interface ObjectStoreAccess {
  /** passed to lancedb.connect as storageOptions */
  storageOptions: Record<string, string>;
  /** az:// only: the account for container creation and the writer lease */
  azure: AzureAccount | null;
  /** s3:// only: what creating the bucket and the writer lock need */
  s3: S3Access | null;
}

export interface S3Access {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  region: string;
  /** an S3-compatible endpoint (MinIO, s3rver, …); unset means AWS */
  endpoint?: string | undefined;
}

const SCHEMES: Record<string, DbScheme> = { az: "az", abfs: "az", s3: "s3", gs: "gs" };

export function parseDbUri(uri: string): DbLocation {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)\/?(.*)$/i.exec(uri);
  if (!m || m[1]?.toLowerCase() === "file") return { scheme: "local", bucket: "", prefix: "" };
  const scheme = SCHEMES[(m[1] ?? "").toLowerCase()];
  if (!scheme) {
    throw new KkrError(
      "CONFIG_INVALID",
      `KKR_DB: unsupported scheme ${m[1]}://. Use a local path, az://container/path, s3://bucket/path or gs://bucket/path.`,
    );
  }
  if (!m[2]) throw new KkrError("CONFIG_INVALID", `KKR_DB: ${m[1]}:// needs a container or bucket name.`);
  return { scheme, bucket: m[2], prefix: (m[3] ?? "").replace(/\/+$/, "") };
}

const set = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

/** `Key=Value;…` as Azure prints it; values may contain `=` (base64 keys). */
export function parseConnectionString(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  return out;
}

const AZURITE_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export function azureAccountFromEnv(env: NodeJS.ProcessEnv): AzureAccount | null {
  const cs = set(env, "AZURE_STORAGE_CONNECTION_STRING");
  if (cs) {
    const p = parseConnectionString(cs);
    if (p.usedevelopmentstorage?.toLowerCase() === "true") {
      return {
        name: "devstoreaccount1",
        key: AZURITE_KEY,
        endpoint: "http://127.0.0.1:10000/devstoreaccount1",
      };
    }
    const name = p.accountname;
    if (!name) {
      throw new KkrError(
        "CONFIG_INVALID",
        "AZURE_STORAGE_CONNECTION_STRING has no AccountName=. Copy it again from the portal.",
      );
    }
    const endpoint =
      p.blobendpoint ??
      `${p.defaultendpointsprotocol ?? "https"}://${name}.blob.${p.endpointsuffix ?? "core.windows.net"}`;
    return { name, key: p.accountkey, sas: p.sharedaccesssignature, endpoint: endpoint.replace(/\/+$/, "") };
  }
  const name = set(env, "AZURE_STORAGE_ACCOUNT_NAME");
  if (!name) return null;
  const endpoint = set(env, "AZURE_STORAGE_ENDPOINT") ?? `https://${name}.blob.core.windows.net`;
  return {
    name,
    key: set(env, "AZURE_STORAGE_ACCOUNT_KEY"),
    sas: set(env, "AZURE_STORAGE_SAS_TOKEN"),
    endpoint: endpoint.replace(/\/+$/, ""),
  };
}

function azureOptions(account: AzureAccount): Record<string, string> {
  return {
    azure_storage_account_name: account.name,
    ...(account.key ? { azure_storage_account_key: account.key } : {}),
    ...(account.sas && !account.key ? { azure_storage_sas_key: account.sas.replace(/^\?/, "") } : {}),
    azure_storage_endpoint: account.endpoint,
    ...(account.endpoint.startsWith("http://") ? { allow_http: "true" } : {}),
  };
}

export function s3AccessFromEnv(env: NodeJS.ProcessEnv): S3Access | null {
  const accessKeyId = set(env, "AWS_ACCESS_KEY_ID");
  const secretAccessKey = set(env, "AWS_SECRET_ACCESS_KEY");
  if (!accessKeyId || !secretAccessKey) return null;
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken: set(env, "AWS_SESSION_TOKEN"),
    region: set(env, "AWS_REGION") ?? set(env, "AWS_DEFAULT_REGION") ?? "us-east-1",
    endpoint: (set(env, "AWS_ENDPOINT_URL_S3") ?? set(env, "AWS_ENDPOINT_URL"))?.replace(/\/+$/, ""),
  };
}

function s3Options(s3: S3Access): Record<string, string> {
  return {
    aws_access_key_id: s3.accessKeyId,
    aws_secret_access_key: s3.secretAccessKey,
    ...(s3.sessionToken ? { aws_session_token: s3.sessionToken } : {}),
    aws_region: s3.region,
    ...(s3.endpoint
      ? {
          aws_endpoint: s3.endpoint,
          // S3-compatible stores are usually addressed by path, not by bucket host name
          aws_virtual_hosted_style_request: "false",
          ...(s3.endpoint.startsWith("http://") ? { allow_http: "true" } : {}),
        }
      : {}),
  };
}

function gcsOptions(env: NodeJS.ProcessEnv): Record<string, string> {
  const adc = set(env, "GOOGLE_APPLICATION_CREDENTIALS");
  const account = set(env, "GOOGLE_SERVICE_ACCOUNT");
  const key = set(env, "GOOGLE_SERVICE_ACCOUNT_KEY");
  return {
    ...(adc ? { google_application_credentials: adc } : {}),
    ...(account ? { google_service_account: account } : {}),
    ...(key ? { google_service_account_key: key } : {}),
  };
}

/**
 * Storage options and credentials for KKR_DB. A local path needs none; an object store
 * without credentials is a setup mistake named here (GCS may also use the metadata
 * server of the machine it runs on, so it is not checked).
 */
export function objectStoreAccess(uri: string, env: NodeJS.ProcessEnv): ObjectStoreAccess {
  const { scheme } = parseDbUri(uri);
  const none: ObjectStoreAccess = { storageOptions: {}, azure: null, s3: null };
  if (scheme === "local") return none;
  if (scheme === "az") {
    const azure = azureAccountFromEnv(env);
    if (!azure || (!azure.key && !azure.sas)) {
      throw new KkrError(
        "CONFIG_INVALID",
        `KKR_DB=${uri} needs Azure credentials: set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT_NAME with AZURE_STORAGE_ACCOUNT_KEY (or AZURE_STORAGE_SAS_TOKEN).`,
      );
    }
    return { ...none, azure, storageOptions: azureOptions(azure) };
  }
  if (scheme === "s3") {
    const s3 = s3AccessFromEnv(env);
    if (!s3) {
      throw new KkrError(
        "CONFIG_INVALID",
        `KKR_DB=${uri} needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_REGION; AWS_ENDPOINT_URL for an S3-compatible store).`,
      );
    }
    return { ...none, s3, storageOptions: s3Options(s3) };
  }
  return { ...none, storageOptions: gcsOptions(env) };
}
