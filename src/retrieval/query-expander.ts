import type { SearchQuery } from "./search-query.js";

/** Turns a question (and its ticket) into extra search terms: alert names, error strings, services. */
export interface QueryExpander {
  readonly id: string;
  expand(query: SearchQuery, options?: { signal?: AbortSignal | undefined }): Promise<string[]>;
}
