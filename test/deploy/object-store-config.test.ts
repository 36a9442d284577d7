import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadConfig } from "../../src/config.js";
import { isKkrError } from "../../src/errors.js";
import { objectStoreAccess, parseConnectionString, parseDbUri } from "../../src/store/object-store.js";
import { KkrStore } from "../../src/store/store.js";

const KEY = "c2VjcmV0LWtleS1ub3QtcmVhbA==";

describe("KKR_DB URIs and storage options", () => {
  test("a bare path, ./path or file:// is local; az/s3/gs name a bucket and a prefix", () => {
    for (const p of ["db", "./data/lancedb", "/var/kkr", "file:///var/kkr"])
      assert.equal(parseDbUri(p).scheme, "local", p);
    assert.deepEqual(parseDbUri("az://kkr-index/prod/lancedb/"), {
      scheme: "az",
      bucket: "kkr-index",
      prefix: "prod/lancedb",
    });
    assert.deepEqual(parseDbUri("s3://bucket"), { scheme: "s3", bucket: "bucket", prefix: "" });
    assert.equal(parseDbUri("gs://b/x").scheme, "gs");
    assert.throws(
      () => parseDbUri("ftp://host/x"),
      (e) => isKkrError(e, "CONFIG_INVALID"),
    );
  });

  test("Azure: a connection string (keys containing '=') or account name + key", () => {
    const cs = `DefaultEndpointsProtocol=https;AccountName=kkrprod;AccountKey=${KEY};EndpointSuffix=core.windows.net`;
    assert.equal(parseConnectionString(cs).accountkey, KEY);
    const a = objectStoreAccess("az://c/p", { AZURE_STORAGE_CONNECTION_STRING: cs });
    assert.equal(a.azure?.endpoint, "https://kkrprod.blob.core.windows.net");
    assert.equal(a.storageOptions.azure_storage_account_key, KEY);
    assert.equal(a.storageOptions.allow_http, undefined);
    const b = objectStoreAccess("az://c/p", {
      AZURE_STORAGE_ACCOUNT_NAME: "kkrprod",
      AZURE_STORAGE_ACCOUNT_KEY: KEY,
    });
    assert.equal(b.storageOptions.azure_storage_account_name, "kkrprod");
    assert.equal(b.storageOptions.azure_storage_endpoint, "https://kkrprod.blob.core.windows.net");
    const dev = objectStoreAccess("az://c", {
      AZURE_STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true",
    });
    assert.equal(dev.storageOptions.allow_http, "true");
  });

  test("S3: AWS_* variables, an S3-compatible endpoint is addressed by path", () => {
    const a = objectStoreAccess("s3://b/p", {
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_REGION: "eu-north-1",
      AWS_ENDPOINT_URL: "http://minio:9000/",
    });
    assert.equal(a.storageOptions.aws_region, "eu-north-1");
    assert.equal(a.storageOptions.aws_endpoint, "http://minio:9000");
    assert.equal(a.storageOptions.aws_virtual_hosted_style_request, "false");
    assert.equal(a.storageOptions.allow_http, "true");
  });

  test("missing credentials: the error names the variables, never a value", () => {
    for (const uri of ["az://c/p", "s3://b/p"]) {
      assert.throws(
        () =>
          loadConfig({
            KKR_DB: uri,
            AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
            AZURE_STORAGE_ACCOUNT_NAME: "kkrprod",
          }),
        (e) => isKkrError(e, "CONFIG_INVALID") && /AZURE_STORAGE|AWS_SECRET_ACCESS_KEY/.test(e.message),
      );
    }
    assert.throws(
      () => loadConfig({ KKR_DB: "az://c/p", AZURE_STORAGE_CONNECTION_STRING: `AccountKey=${KEY}` }),
      (e) => isKkrError(e, "CONFIG_INVALID") && !e.message.includes(KEY),
    );
  });

  test("roles, read consistency and retention: defaults for local and object stores, validated", () => {
    const local = loadConfig({});
    assert.equal(local.store.role, "all");
    assert.equal(local.store.readConsistencyS, 0);
    assert.equal(local.store.retentionMs, 60_000);
    const remote = loadConfig({ KKR_DB: "gs://b/p", KKR_ROLE: "reader" });
    assert.equal(remote.store.role, "reader");
    assert.equal(remote.store.readConsistencyS, 5);
    assert.equal(remote.store.retentionMs, 3_600_000);
    assert.throws(
      () => loadConfig({ KKR_ROLE: "boss" }),
      (e) => isKkrError(e, "CONFIG_INVALID") && /KKR_ROLE/.test(e.message),
    );
  });

  test("GCS: GOOGLE_APPLICATION_CREDENTIALS reaches LanceDB (no emulator: it reads the named key file)", async () => {
    const config = loadConfig({
      KKR_DB: "gs://kkr-bucket/idx",
      GOOGLE_APPLICATION_CREDENTIALS: "/nonexistent/kkr-key.json",
    });
    assert.deepEqual(config.store.access.storageOptions, {
      google_application_credentials: "/nonexistent/kkr-key.json",
    });
    await assert.rejects(
      async () => (await KkrStore.open(config.db, { store: config.store })).counts(),
      (e) => isKkrError(e, "DB_ERROR") && /kkr-key\.json/.test(e.message),
    );
  });
});
