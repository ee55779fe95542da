import type { SearchRequest } from "../contract/search-request.js";
import type { SearchQuery } from "../retrieval/search-query.js";

/** A validated ask or search body as retrieval takes it, with the server's default topK. */
export function toSearchQuery(request: SearchRequest, defaultTopK: number): SearchQuery {
  return {
    question: request.question,
    ticket: request.ticket,
    filters: request.filters,
    topK: request.topK ?? defaultTopK,
  };
}
