import * as z from "zod/mini";

/** One `/v1/search` result: a numbered, scored section, best first. */
export const SearchResult = z.object({
  n: z.int(),
  id: z.string(),
  path: z.string(),
  title: z.string(),
  headingPath: z.array(z.string()),
  kind: z.string(),
  services: z.array(z.string()),
  /** Fused relevance score; higher is better, comparable within one response only. */
  score: z.number(),
  /** The whole section's markdown. */
  text: z.string(),
});
export type SearchResult = z.infer<typeof SearchResult>;

/** `GET` and `POST /v1/search`. */
export const SearchResponse = z.object({
  results: z.array(SearchResult),
});
export type SearchResponse = z.infer<typeof SearchResponse>;
