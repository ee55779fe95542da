import * as z from "zod/mini";
import { ServiceEntry } from "./service-entry.js";

/** What every source carries, in the answer stream and in `/v1/search` alike. */
export const SourceFields = {
  /** 1-based number the answer cites as [n]. */
  n: z.int(),
  /** Chunk id, for `GET /v1/sections/:id`. */
  id: z.string(),
  /** Document path relative to the KB folder, `/` separators. */
  path: z.string(),
  title: z.string(),
  headingPath: z.array(z.string()),
  kind: z.string(),
  services: z.array(z.string()),
  /** Fused relevance score; higher is better, comparable within one response only. */
  score: z.number(),
};

/**
 * A source as the answer stream announces it: enough to show and link, not the whole section.
 * A `kind: "service"` source is a catalogue entry, not a section: `id` is the service's name
 * (for `GET /v1/services/:name`), `path` the catalogue file, and `service` the entry itself.
 */
export const SourceSummary = z.object({
  ...SourceFields,
  /** The section's first words as plain text; for a service, its owner and on-call in a line. */
  snippet: z.string(),
  /** Only on `kind: "service"` sources: the catalogue entry, as `GET /v1/services/:name` returns it. */
  service: z.optional(ServiceEntry),
});
export type SourceSummary = z.infer<typeof SourceSummary>;
