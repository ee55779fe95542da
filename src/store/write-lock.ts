import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import lockfile from "proper-lockfile";
import { KbError } from "../errors.js";

/** Object stores and LanceDB Cloud have no local directory to lock. */
export function isLocalUri(uri: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri);
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
  if (!isLocalUri(uri)) return async () => {};
  const directory = resolve(uri);
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
