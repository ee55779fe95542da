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
