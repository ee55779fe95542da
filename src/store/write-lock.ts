import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import lockfile from "proper-lockfile";
import { KbError } from "../errors.js";

/** The local directory behind a URI, or undefined for object stores and LanceDB Cloud, which have none to lock. */
export function localDirectoryOf(uri: string): string | undefined {
  if (uri.startsWith("file://")) return fileURLToPath(uri);
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? undefined : resolve(uri);
}

/**
 * One writer at a time per local index directory. A second ingest is refused
 * at once with a message naming the lock; a lock whose holder died goes stale
 * after `staleMs` and is taken over.
 */
export async function acquireWriteLock(
  uri: string,
  options: { staleMs?: number } = {},
): Promise<() => Promise<void>> {
  const directory = localDirectoryOf(uri);
  // Object stores: one ingest writer is the deployment rule (README), and LanceDB's commits detect conflicts.
  if (directory === undefined) return async () => {};
  await mkdir(directory, { recursive: true });
  const lockPath = join(directory, "ingest.lock");
  try {
    return await lockfile.lock(directory, {
      lockfilePath: lockPath,
      realpath: false,
      retries: 0,
      stale: options.staleMs ?? 30_000,
    });
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ELOCKED") {
      throw new KbError(
        "index_busy",
        `Another ingest is writing to ${directory} (lock ${lockPath}). Wait for it to finish and run again.`,
        { cause: error },
      );
    }
    throw error;
  }
}
