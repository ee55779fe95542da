import { KbError } from "../errors.js";

/** The name of the lock object, beside the index's tables. */
export const lockObjectName = "ingest.lock";

/** A version of the lock object as its store names it: an S3 or Azure ETag, a GCS generation. */
export type LockObjectVersion = string;

/**
 * One object store's HTTP dialect for the ingest lock: the four conditional calls the
 * protocol in object-store-lock.ts needs, each answering in plain outcomes. A call whose
 * precondition fails answers `undefined` (or `false`); anything else unexpected throws.
 */
export interface LockObjectStore {
  /** Where the lock object is, for messages (`/bucket/team/index/ingest.lock`). */
  readonly location: string;
  /** Creates the object only if there is none: its version, or undefined when one exists. */
  create(body: string): Promise<LockObjectVersion | undefined>;
  /** The object's content and version, or undefined when there is none. */
  read(): Promise<{ body: string; version: LockObjectVersion } | undefined>;
  /** Replaces the object only if it is still at `version`: the new version, or undefined when it changed or is gone. */
  replace(body: string, version: LockObjectVersion): Promise<LockObjectVersion | undefined>;
  /** Deletes the object only if it is still at `version`: false when it changed or is gone. */
  remove(version: LockObjectVersion): Promise<boolean>;
}

/** The lock object's key in a bucket or container, from the index URI's path. */
export function lockObjectKey(uri: URL): string {
  const prefix = uri.pathname.replace(/^\/+|\/+$/g, "");
  return prefix === "" ? lockObjectName : `${prefix}/${lockObjectName}`;
}

/**
 * Refuses a plain-HTTP endpoint unless KB_DB_ALLOW_HTTP is set (`allow_http` among the storage
 * options), as LanceDB's own store does; `named` says where the URL came from.
 */
export function refusePlainHttp(
  endpoint: string,
  options: Readonly<Record<string, string>>,
  named = "KB_DB_ENDPOINT",
): void {
  if (endpoint.startsWith("http:") && options.allow_http !== "true") {
    throw new KbError(
      "invalid_config",
      `${named} is plain HTTP (${endpoint}): set KB_DB_ALLOW_HTTP=true to allow it.`,
    );
  }
}

/** A key's path segments URL-encoded, slashes kept. */
export function encodeKeyPath(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

/** An unexpected answer from the store, with its method, location, status and the start of its body. */
export async function unexpectedResponse(
  what: string,
  location: string,
  response: Response,
): Promise<Error> {
  const text = await response.text().catch(() => "");
  return new Error(`${what} ${location} failed: HTTP ${response.status} ${text.slice(0, 300)}`);
}

/** One signed request to the lock object: `conditions` are its precondition headers; a body means a PUT's. */
export type SendLockRequest = (
  method: "GET" | "PUT" | "DELETE",
  conditions: Record<string, string>,
  body?: string,
) => Promise<Response>;

/**
 * The ETag dialect S3 and Azure Blob share: create with `If-None-Match: *`, replace and
 * delete with `If-Match: <etag>`. A failed precondition answers 412, or 409 to a create
 * (S3's ConditionalRequestConflict for a concurrent write, Azure's BlobAlreadyExists); 404
 * when the object is gone.
 */
export function etagLockStore(location: string, send: SendLockRequest): LockObjectStore {
  const put = async (
    body: string,
    condition: Record<string, string>,
    preconditionFailed: readonly number[],
  ) => {
    const response = await send("PUT", condition, body);
    if (response.ok) {
      await response.body?.cancel();
      return response.headers.get("etag") ?? "";
    }
    if (preconditionFailed.includes(response.status)) {
      await response.body?.cancel();
      return undefined;
    }
    throw await unexpectedResponse("PUT", location, response);
  };
  return {
    location,
    create: (body) => put(body, { "if-none-match": "*" }, [412, 409]),
    // A 409 here is retried by the protocol rather than taken for a lost lock: on S3 a
    // create racing our renewal conflicts with it without having won anything.
    replace: (body, version) => put(body, { "if-match": version }, [412, 404]),
    async read() {
      const response = await send("GET", {});
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) throw await unexpectedResponse("GET", location, response);
      return { body: await response.text(), version: response.headers.get("etag") ?? "" };
    },
    async remove(version) {
      const response = await send("DELETE", { "if-match": version });
      if (!response.ok && response.status !== 412 && response.status !== 404)
        throw await unexpectedResponse("DELETE", location, response);
      await response.body?.cancel();
      return response.ok;
    },
  };
}
