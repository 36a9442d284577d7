import { AwsClient } from "aws4fetch";
import { KkrError } from "../errors.js";
import type { S3Access } from "./object-store.js";

/** Path-style bucket URL: works for AWS and for S3-compatible stores alike. */
function bucketUrl(s3: S3Access, bucket: string): string {
  const base = s3.endpoint ?? `https://s3.${s3.region}.amazonaws.com`;
  return `${base}/${encodeURIComponent(bucket)}`;
}

/**
 * Creates the bucket unless it exists. aws4fetch (88 kB, no dependencies) signs the two
 * requests; the AWS SDK's S3 client would add megabytes for them.
 */
export async function ensureBucket(
  s3: S3Access,
  bucket: string,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const aws = new AwsClient({
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    ...(s3.sessionToken ? { sessionToken: s3.sessionToken } : {}),
    service: "s3",
    region: s3.region,
    retries: 0,
  });
  const url = bucketUrl(s3, bucket);
  const send = async (method: string, body?: string) => {
    try {
      const signed = await aws.sign(url, { method, ...(body ? { body } : {}) });
      return await fetchImpl(signed);
    } catch (error) {
      throw new KkrError(
        "DB_ERROR",
        `Could not reach S3 at ${url}: ${(error as Error).message}. Check AWS_ENDPOINT_URL and AWS_REGION.`,
        { cause: error },
      );
    }
  };
  const head = await send("HEAD");
  if (head.ok) return;
  if (head.status !== 404) {
    throw new KkrError(
      "DB_ERROR",
      `Could not check the bucket ${bucket} (${head.status}). Check the credentials (AWS_*) and that the bucket is yours.`,
    );
  }
  // Outside us-east-1, AWS wants the region named in the request body.
  const body =
    s3.endpoint || s3.region === "us-east-1"
      ? undefined
      : `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${s3.region}</LocationConstraint></CreateBucketConfiguration>`;
  const put = await send("PUT", body);
  if (put.ok || put.status === 409) return;
  throw new KkrError(
    "DB_ERROR",
    `Could not create the bucket ${bucket} (${put.status}). Create it, or give the credentials the right to.`,
  );
}
