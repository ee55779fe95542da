import { AwsClient } from "aws4fetch";
import { KbError } from "../errors.js";
import {
  encodeKeyPath,
  etagLockStore,
  type LockObjectStore,
  lockObjectKey,
  refusePlainHttp,
  type SendLockRequest,
} from "./lock-object-store.js";

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** Where the lock object of an s3:// index lives, and how to reach it. */
export interface S3LockTarget {
  /** The object's URL (path-style or virtual-hosted, as LanceDB addresses the bucket). */
  url: URL;
  region: string;
  credentials: S3Credentials;
}

/**
 * The lock object of an s3:// index from the LanceDB storage options the index was opened
 * with (`aws_*` keys, as config.ts writes them), or an `invalid_config` error saying what is
 * missing. Credentials must be given: the lock signs its own requests.
 */
export function s3LockTarget(uri: string, options: Readonly<Record<string, string>>): S3LockTarget {
  const parsed = new URL(uri);
  const bucket = parsed.hostname;
  const key = lockObjectKey(parsed);
  const accessKeyId = options.aws_access_key_id;
  const secretAccessKey = options.aws_secret_access_key;
  const region = options.aws_region ?? "us-east-1";
  if (!accessKeyId || !secretAccessKey) {
    throw new KbError(
      "invalid_config",
      `Ingest into ${uri} takes a lock object (${key}) that kb-answers writes itself, so it needs KB_DB_ACCESS_KEY_ID and KB_DB_SECRET_ACCESS_KEY (instance or SSO credentials are not read).`,
    );
  }
  const endpoint = options.aws_endpoint ?? `https://s3.${region}.amazonaws.com`;
  refusePlainHttp(endpoint, options);
  const virtualHosted = options.aws_virtual_hosted_style_request === "true";
  const base = virtualHosted
    ? options.aws_endpoint
      ? endpoint
      : `https://${bucket}.s3.${region}.amazonaws.com`
    : `${endpoint.replace(/\/+$/, "")}/${bucket}`;
  return {
    url: new URL(`${base.replace(/\/+$/, "")}/${encodeKeyPath(key)}`),
    region,
    credentials: { accessKeyId, secretAccessKey, sessionToken: options.aws_session_token },
  };
}

/**
 * The lock object on S3 and S3-compatible stores (MinIO, Ceph, R2): create with
 * `If-None-Match: *`, replace and delete with `If-Match` on the ETag, a failed
 * precondition answering 412 (or 409 from stores that report a concurrent write so).
 * SigV4 by aws4fetch (no dependencies, WebCrypto): four calls need no SDK.
 */
export function createS3LockStore(
  target: S3LockTarget,
  options: { fetch?: typeof fetch } = {},
): LockObjectStore {
  const fetchImpl = options.fetch ?? fetch;
  const { accessKeyId, secretAccessKey, sessionToken } = target.credentials;
  const signer = new AwsClient({
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    service: "s3",
    region: target.region,
  });
  const send: SendLockRequest = async (method, headers, body) => {
    const signed = await signer.sign(target.url.toString(), {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      ...(body === undefined ? {} : { body }),
    });
    return fetchImpl(signed, { signal: AbortSignal.timeout(10_000) });
  };
  return etagLockStore(target.url.pathname, send);
}
