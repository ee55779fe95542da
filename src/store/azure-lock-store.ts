import { KbError } from "../errors.js";
import { azureSharedKeyAuthorization } from "./azure-shared-key.js";
import {
  encodeKeyPath,
  etagLockStore,
  type LockObjectStore,
  lockObjectKey,
  refusePlainHttp,
  type SendLockRequest,
} from "./lock-object-store.js";

/** Where the lock blob of an az:// index lives, and the account key that reaches it. */
export interface AzureLockTarget {
  url: URL;
  accountName: string;
  accountKey: Buffer;
}

/** The Blob service version the lock speaks (any since 2015-02-21 signs alike). */
const blobServiceVersion = "2021-08-06";

/**
 * The lock blob of an az://container/path index from the LanceDB storage options the index
 * was opened with (`azure_storage_account_name`, `azure_storage_account_key` and, for
 * Azurite or another endpoint, `azure_storage_endpoint`, as config.ts writes them), or an
 * `invalid_config` error naming the setting. The URL is built as object_store builds it:
 * `https://<account>.blob.core.windows.net/<container>/<key>`, or `<endpoint>/<container>/<key>`.
 */
export function azureLockTarget(
  uri: string,
  options: Readonly<Record<string, string>>,
): AzureLockTarget {
  const parsed = new URL(uri);
  if (parsed.username !== "") {
    throw new KbError(
      "invalid_config",
      `KB_DB is ${uri}: write it az://<container>/<path>, with the account in KB_DB_AZURE_ACCOUNT_NAME, so the ingest lock and LanceDB address the same container.`,
    );
  }
  const key = lockObjectKey(parsed);
  const accountName = options.azure_storage_account_name;
  const accountKeyText = options.azure_storage_account_key;
  if (!accountName || !accountKeyText) {
    throw new KbError(
      "invalid_config",
      `Ingest into ${uri} takes a lock blob (${key}) that kb-answers writes itself, so it needs KB_DB_AZURE_ACCOUNT_NAME and KB_DB_AZURE_ACCOUNT_KEY (Entra ID, SAS and managed identities are not read).`,
    );
  }
  const accountKey = Buffer.from(accountKeyText, "base64");
  if (accountKey.length === 0 || accountKey.toString("base64") !== accountKeyText.trim()) {
    throw new KbError(
      "invalid_config",
      "KB_DB_AZURE_ACCOUNT_KEY is not a storage account key (base64, as the portal's Access keys page shows it).",
    );
  }
  const endpoint = (
    options.azure_storage_endpoint ?? `https://${accountName}.blob.core.windows.net`
  ).replace(/\/+$/, "");
  refusePlainHttp(endpoint, options);
  return {
    url: new URL(`${endpoint}/${encodeURIComponent(parsed.hostname)}/${encodeKeyPath(key)}`),
    accountName,
    accountKey,
  };
}

/**
 * The lock blob on Azure Blob Storage, in the ETag dialect S3 shares: Put Blob (a block
 * blob) with `If-None-Match: *` to create (409 BlobAlreadyExists when one exists), with
 * `If-Match: <etag>` to replace, and Delete Blob with `If-Match` (412 ConditionNotMet when
 * the blob changed, 404 when it is gone). Requests are signed with the account key (Shared Key).
 */
export function createAzureLockStore(
  target: AzureLockTarget,
  options: { fetch?: typeof fetch } = {},
): LockObjectStore {
  const fetchImpl = options.fetch ?? fetch;
  const location = target.url.pathname;
  const send: SendLockRequest = async (method, conditions, body) => {
    const headers: Record<string, string> = {
      ...conditions,
      "x-ms-date": new Date().toUTCString(),
      "x-ms-version": blobServiceVersion,
    };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      headers["x-ms-blob-type"] = "BlockBlob";
    }
    headers.authorization = azureSharedKeyAuthorization(
      {
        method,
        url: target.url,
        headers,
        contentLength: body === undefined ? 0 : Buffer.byteLength(body),
      },
      target.accountName,
      target.accountKey,
    );
    const response = await fetchImpl(target.url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 403) {
      const text = await response.text();
      throw new KbError(
        "invalid_config",
        `Azure refused ${method} ${location} for the account ${target.accountName}: HTTP 403 ${text.slice(0, 200)}. Check KB_DB_AZURE_ACCOUNT_NAME and KB_DB_AZURE_ACCOUNT_KEY (the account's current key).`,
      );
    }
    return response;
  };
  return etagLockStore(location, send);
}
