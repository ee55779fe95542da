import * as z from "zod/mini";
import { SourceFields } from "./source-summary.js";

/** One `/v1/search` result: a numbered, scored section, best first, with its whole text. */
export const SearchResult = z.object({
  ...SourceFields,
  /** The whole section's markdown. */
  text: z.string(),
});
export type SearchResult = z.infer<typeof SearchResult>;

/** `GET` and `POST /v1/search`. */
export const SearchResponse = z.object({
  results: z.array(SearchResult),
});
export type SearchResponse = z.infer<typeof SearchResponse>;
