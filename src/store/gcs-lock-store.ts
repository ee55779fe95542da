import { readFile } from "node:fs/promises";
import { KbError } from "../errors.js";
import { createGoogleAccessTokens, GoogleServiceAccountKey } from "./google-access-token.js";
import {
  type LockObjectStore,
  lockObjectKey,
  refusePlainHttp,
  unexpectedResponse,
} from "./lock-object-store.js";

/** Where the lock object of a gs:// index lives, and the key that reaches it. */
export interface GcsLockTarget {
  bucket: string;
  objectName: string;
  /** Cloud Storage's base URL: `https://storage.googleapis.com`, or the key's `gcs_base_url`. */
  baseUrl: string;
  key: GoogleServiceAccountKey;
  /** The setting the key came from, for messages. */
  keySetting: string;
}

/**
 * The lock object of a gs:// index from the LanceDB storage options the index was opened
 * with (`google_service_account` a key file's path, or `google_service_account_key` its
 * JSON, as config.ts writes them), or an `invalid_config` error naming the setting. A key
 * must be given: the lock signs its own requests (application default credentials and the
 * metadata server are not read). The base URL is the key's `gcs_base_url` when it has one,
 * the field object_store (so LanceDB) reads for another endpoint, so both go to one place.
 */
export async function gcsLockTarget(
  uri: string,
  options: Readonly<Record<string, string>>,
): Promise<GcsLockTarget> {
  const parsed = new URL(uri);
  const objectName = lockObjectKey(parsed);
  let keySetting: string;
  let keyText: string;
  if (options.google_service_account_key !== undefined) {
    keySetting = "KB_DB_GOOGLE_SERVICE_ACCOUNT_KEY";
    keyText = options.google_service_account_key;
  } else if (options.google_service_account !== undefined) {
    keySetting = "KB_DB_GOOGLE_SERVICE_ACCOUNT";
    try {
      keyText = await readFile(options.google_service_account, "utf8");
    } catch (error) {
      throw new KbError(
        "invalid_config",
        `KB_DB_GOOGLE_SERVICE_ACCOUNT: cannot read the service account key file ${options.google_service_account} (${error instanceof Error ? error.message : String(error)}).`,
        { cause: error },
      );
    }
  } else {
    throw new KbError(
      "invalid_config",
      `Ingest into ${uri} takes a lock object (${objectName}) that kb-answers writes itself, so it needs a service account key: KB_DB_GOOGLE_SERVICE_ACCOUNT (the key file's path) or KB_DB_GOOGLE_SERVICE_ACCOUNT_KEY (its JSON). Application default credentials and the metadata server are not read.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(keyText);
  } catch {
    throw new KbError("invalid_config", `${keySetting}: the service account key is not JSON.`);
  }
  const key = GoogleServiceAccountKey.safeParse(json);
  if (!key.success) {
    const fields = key.error.issues.map((issue) => issue.path.join(".") || "(key)").join(", ");
    throw new KbError(
      "invalid_config",
      `${keySetting}: the service account key lacks or has invalid ${fields} (a key file from the Google Cloud console has them).`,
    );
  }
  const baseUrl = (key.data.gcs_base_url ?? "https://storage.googleapis.com").replace(/\/+$/, "");
  refusePlainHttp(baseUrl, options, "The service account key's gcs_base_url");
  return { bucket: parsed.hostname, objectName, baseUrl, key: key.data, keySetting };
}

/**
 * The lock object on Google Cloud Storage, through the JSON API: create with
 * `ifGenerationMatch=0` (only if no live object), replace and delete with
 * `ifGenerationMatch=<generation>`; a failed precondition answers 412. The version is the
 * object's generation. Requests carry an OAuth2 access token from the service account key.
 */
export function createGcsLockStore(
  target: GcsLockTarget,
  options: { fetch?: typeof fetch } = {},
): LockObjectStore {
  const fetchImpl = options.fetch ?? fetch;
  const tokens = createGoogleAccessTokens(target.key, {
    keySetting: target.keySetting,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const bucket = encodeURIComponent(target.bucket);
  const object = encodeURIComponent(target.objectName);
  const location = `gs://${target.bucket}/${target.objectName}`;
  const send = async (method: string, url: string, body?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${await tokens.get()}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetchImpl(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 401 || response.status === 403) {
      // A revoked or expired token is replaced at the next call (a renewal retries).
      tokens.forget();
      throw new KbError(
        "invalid_config",
        `Cloud Storage refused ${method} ${location} for ${target.key.client_email} (the key in ${target.keySetting}): HTTP ${response.status}. The service account needs to create, read and delete objects in the bucket (roles/storage.objectUser).`,
      );
    }
    return response;
  };
  const upload = async (body: string, generation: string) => {
    const url = `${target.baseUrl}/upload/storage/v1/b/${bucket}/o?uploadType=media&name=${object}&ifGenerationMatch=${generation}`;
    const response = await send("POST", url, body);
    if (response.status === 412) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) throw await unexpectedResponse("POST", location, response);
    const stored = (await response.json()) as { generation?: unknown };
    if (typeof stored.generation !== "string") {
      throw new Error(`POST ${location}: the answer carries no generation`);
    }
    return stored.generation;
  };
  const objectUrl = `${target.baseUrl}/storage/v1/b/${bucket}/o/${object}`;
  return {
    location,
    create: (body) => upload(body, "0"),
    replace: (body, version) => upload(body, version),
    async read() {
      const response = await send("GET", `${objectUrl}?alt=media`);
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) throw await unexpectedResponse("GET", location, response);
      const generation = response.headers.get("x-goog-generation");
      if (generation === null) throw new Error(`GET ${location}: no x-goog-generation header`);
      return { body: await response.text(), version: generation };
    },
    async remove(version) {
      const response = await send("DELETE", `${objectUrl}?ifGenerationMatch=${version}`);
      if (!response.ok && response.status !== 412 && response.status !== 404)
        throw await unexpectedResponse("DELETE", location, response);
      await response.body?.cancel();
      return response.ok;
    },
  };
}
