import { KbError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { IngestSummary } from "./run-ingest.js";

/**
 * The start-up ingest: the KB folder into the index before serving. Serving a
 * slightly stale index beats not serving, so another ingest running, a missing
 * folder or a damaged index are reported and the server starts all the same;
 * resolves `false` on any other failure (reported too): the caller exits 1.
 */
export async function ingestAtStart(options: {
  ingest: () => Promise<IngestSummary>;
  logger: Logger;
  kbDir: string;
  db: string;
}): Promise<boolean> {
  const { logger, kbDir, db } = options;
  try {
    const { failures: _failures, tickets, ...counts } = await options.ingest();
    const { failures: _ticketFailures, warnings: _ticketWarnings, ...ticketCounts } = tickets;
    logger.info("index up to date", { kbDir, db, ...counts, tickets: ticketCounts });
    return true;
  } catch (error) {
    if (
      error instanceof KbError &&
      (error.code === "index_busy" || error.code === "invalid_request")
    ) {
      logger.warn("serving the existing index without ingesting", { reason: error.message });
      return true;
    }
    if (error instanceof KbError && error.code === "index_unreadable") {
      reportUnreadableIndex(logger, db, error);
      return true;
    }
    logger.error("could not prepare the index", { error });
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return false;
  }
}

/**
 * A damaged index gets one plain line naming the fix (the error's message), and the server
 * serves on: /readyz says not ready, and a rebuild is picked up without a restart.
 */
export function reportUnreadableIndex(logger: Logger, db: string, error: KbError): void {
  logger.error("the index cannot be read", { db, code: error.code });
  process.stderr.write(`${error.message}\n`);
}
