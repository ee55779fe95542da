import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import lockfile from "proper-lockfile";
import { KbError } from "../errors.js";
import { azureLockTarget, createAzureLockStore } from "./azure-lock-store.js";
import { createGcsLockStore, gcsLockTarget } from "./gcs-lock-store.js";
import type { LockObjectStore } from "./lock-object-store.js";
import { acquireObjectLock, type HeldLock } from "./object-store-lock.js";
import { createS3LockStore, s3LockTarget } from "./s3-lock-store.js";

/** The local directory behind a URI, or undefined for object stores and LanceDB Cloud, which have none to lock. */
export function localDirectoryOf(uri: string): string | undefined {
  if (uri.startsWith("file://")) return fileURLToPath(uri);
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? undefined : resolve(uri);
}

const neverLost = new AbortController().signal;

/**
 * One writer at a time per index. A second ingest is refused at once with
 * `index_busy` and a message naming the lock and, on object stores, its holder.
 *
 * - A local directory: a lock file. A lock whose holder was killed is taken over at
 *   once when its process is gone from this host, and otherwise once it goes stale
 *   (`staleMs` without a refresh).
 * - s3://, gs://, az://: a lock object with a lease (see object-store-lock.ts), taken
 *   over once the lease of a killed holder runs out; `lost` fires if this writer's lease
 *   is taken.
 * - db:// (LanceDB Cloud) and other schemes: no lock here; LanceDB Cloud serialises writes
 *   on its side.
 */
export async function acquireWriteLock(
  uri: string,
  options: {
    staleMs?: number;
    leaseMs?: number;
    storageOptions?: Readonly<Record<string, string>>;
  } = {},
): Promise<HeldLock> {
  const store = await lockObjectStoreFor(uri, options.storageOptions ?? {});
  if (store !== undefined) {
    return acquireObjectLock(
      store,
      options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs },
    );
  }
  const directory = localDirectoryOf(uri);
  if (directory === undefined) return { lost: neverLost, release: async () => {} };
  await mkdir(directory, { recursive: true });
  const lockPath = join(directory, "ingest.lock");
  const ownerPath = join(directory, "ingest.lock.owner");
  const take = () =>
    lockfile.lock(directory, {
      lockfilePath: lockPath,
      realpath: false,
      retries: 0,
      stale: options.staleMs ?? 30_000,
    });

  const busy = (cause: unknown) =>
    new KbError(
      "index_busy",
      `Another ingest is writing to ${directory} (lock ${lockPath}). Wait for it to finish and run again.`,
      { cause },
    );

  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (error) {
    if (!isLocked(error)) throw error;
    if (!(await ownerIsGone(ownerPath))) throw busy(error);
    await rm(lockPath, { recursive: true, force: true });
    // Another waiter may have taken over first.
    release = await take().catch((retryError: unknown) => {
      throw isLocked(retryError) ? busy(retryError) : retryError;
    });
  }
  await writeFile(ownerPath, JSON.stringify({ pid: process.pid, host: hostname() }));
  return {
    lost: neverLost,
    async release() {
      await rm(ownerPath, { force: true });
      await release();
    },
  };
}

/**
 * The lock object's dialect for an object-store URI (s3://, gs://, az://), reached with the
 * LanceDB storage options the index is opened with; undefined for anything else. Missing or
 * unusable credentials are an `invalid_config` error naming the setting.
 */
export async function lockObjectStoreFor(
  uri: string,
  storageOptions: Readonly<Record<string, string>>,
  options: { fetch?: typeof fetch } = {},
): Promise<LockObjectStore | undefined> {
  const scheme = /^([a-z0-9+]+):\/\//i.exec(uri)?.[1]?.toLowerCase();
  if (scheme === "s3") return createS3LockStore(s3LockTarget(uri, storageOptions), options);
  if (scheme === "gs") return createGcsLockStore(await gcsLockTarget(uri, storageOptions), options);
  if (scheme === "az") return createAzureLockStore(azureLockTarget(uri, storageOptions), options);
  return undefined;
}

function isLocked(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ELOCKED";
}

/** True when the lock's recorded owner is a process of this host that no longer exists. */
async function ownerIsGone(ownerPath: string): Promise<boolean> {
  let owner: { pid?: unknown; host?: unknown };
  try {
    owner = JSON.parse(await readFile(ownerPath, "utf8"));
  } catch {
    // No owner record yet: the holder is between taking the lock and writing it.
    return false;
  }
  if (owner.host !== hostname() || typeof owner.pid !== "number") return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "ESRCH";
  }
}
