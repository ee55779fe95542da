import type { IndexSnapshot } from "./index-snapshot.js";
import { isUnreadableIndexError, unreadableIndexError } from "./unreadable-index.js";

/**
 * A snapshot whose reads survive a generation swap: a read that finds its tables gone or damaged
 * reopens the current generation (`reopen` reads the index state afresh) and runs once more
 * there. A second failure is an unreadable index, reported with the fix.
 */
export function swapSafeSnapshot(
  first: IndexSnapshot,
  reopen: () => Promise<IndexSnapshot | undefined>,
): IndexSnapshot {
  let current = first;
  const retried =
    <Args extends unknown[], Result>(
      read: (snapshot: IndexSnapshot, ...args: Args) => Promise<Result>,
    ) =>
    async (...args: Args): Promise<Result> => {
      try {
        return await read(current, ...args);
      } catch (error) {
        if (!isUnreadableIndexError(error)) throw error;
        const fresh = await reopen();
        if (!fresh)
          throw unreadableIndexError(`Generation ${current.generation.number} of the index`, error);
        current = fresh;
        try {
          return await read(fresh, ...args);
        } catch (retryError) {
          if (!isUnreadableIndexError(retryError)) throw retryError;
          throw unreadableIndexError(
            `Generation ${fresh.generation.number} of the index`,
            retryError,
          );
        }
      }
    };
  type Args<Name extends Exclude<keyof IndexSnapshot, "generation">> = Parameters<
    IndexSnapshot[Name]
  >;
  return {
    generation: first.generation,
    fullTextCandidates: retried((snapshot, ...args: Args<"fullTextCandidates">) =>
      snapshot.fullTextCandidates(...args),
    ),
    nearestVectors: retried((snapshot, ...args: Args<"nearestVectors">) =>
      snapshot.nearestVectors(...args),
    ),
    chunksOfDocuments: retried((snapshot, ...args: Args<"chunksOfDocuments">) =>
      snapshot.chunksOfDocuments(...args),
    ),
    chunkById: retried((snapshot, ...args: Args<"chunkById">) => snapshot.chunkById(...args)),
    counts: retried((snapshot, ...args: Args<"counts">) => snapshot.counts(...args)),
    prewarm: retried((snapshot, ...args: Args<"prewarm">) => snapshot.prewarm(...args)),
    termChunkCounts: retried((snapshot, ...args: Args<"termChunkCounts">) =>
      snapshot.termChunkCounts(...args),
    ),
    aliasesOf: retried((snapshot, ...args: Args<"aliasesOf">) => snapshot.aliasesOf(...args)),
    allAliases: retried((snapshot, ...args: Args<"allAliases">) => snapshot.allAliases(...args)),
    incidentFacts: retried((snapshot, ...args: Args<"incidentFacts">) =>
      snapshot.incidentFacts(...args),
    ),
    ticketFullTextCandidates: retried((snapshot, ...args: Args<"ticketFullTextCandidates">) =>
      snapshot.ticketFullTextCandidates(...args),
    ),
    nearestTickets: retried((snapshot, ...args: Args<"nearestTickets">) =>
      snapshot.nearestTickets(...args),
    ),
    ticketCount: retried((snapshot, ...args: Args<"ticketCount">) => snapshot.ticketCount(...args)),
    writeupFactsOf: retried((snapshot, ...args: Args<"writeupFactsOf">) =>
      snapshot.writeupFactsOf(...args),
    ),
    triageModelStamp: retried((snapshot, ...args: Args<"triageModelStamp">) =>
      snapshot.triageModelStamp(...args),
    ),
    triageModel: retried((snapshot, ...args: Args<"triageModel">) => snapshot.triageModel(...args)),
    probe: retried((snapshot, ...args: Args<"probe">) => snapshot.probe(...args)),
  };
}
