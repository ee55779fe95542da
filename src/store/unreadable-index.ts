import { KbError } from "../errors.js";

/** The fix for every unreadable index: a rebuild never reads the damaged tables it replaces. */
export const rebuildCommand = "npm run ingest -- --force";

/**
 * True for LanceDB failures that mean files of the index are gone or damaged: a table dropped
 * under a reader (a swapped-out generation), a truncated data file, deleted index files. Other
 * failures (a query we built wrong) are bugs and keep their own error.
 */
export function isUnreadableIndexError(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof KbError) return false;
  return /LanceError\(IO\)|lance error: Not found|Table '[^']*' was not found|No such file or directory/i.test(
    error.message,
  );
}

/**
 * What readers and ingest say about such an index, `what` naming it ("Generation 2 of the
 * index"): our words only, since LanceDB's messages name server paths.
 */
export function unreadableIndexError(what: string, cause: unknown): KbError {
  return new KbError(
    "index_unreadable",
    `${what} cannot be read: a data or index file is missing or damaged. Rebuild it with \`${rebuildCommand}\`.`,
    { cause },
  );
}
