import { isAbortError } from "../errors.js";
import type { Logger } from "../logger.js";

/** Runs a read of the generation a rebuild replaces; gives `nothing` when that read fails. */
export type PreviousGenerationRead = <Result>(
  read: () => Promise<Result>,
  nothing: Result,
) => Promise<Result>;

/**
 * Reads of the generation being replaced, only ever to reuse what it holds (vectors, the last
 * good version of a broken file). Damaged files there mean nothing to reuse: the first failure
 * is logged and every later read gives nothing at once.
 */
export function createPreviousGenerationReads(logger: Logger): PreviousGenerationRead {
  let failed = false;
  return async (read, nothing) => {
    if (failed) return nothing;
    try {
      return await read();
    } catch (error) {
      if (isAbortError(error)) throw error;
      failed = true;
      logger.warn("the previous generation cannot be read: rebuilding without reusing it", {
        error,
      });
      return nothing;
    }
  };
}
