import * as z from "zod/mini";
import { boundedText } from "./bounded-text.js";
import { Ticket } from "./ticket.js";

/** One value or a list of them; blank values are dropped. */
const list = (maxItems: number, maxChars: number) =>
  z.pipe(
    z.union([
      boundedText(maxChars),
      z
        .array(boundedText(maxChars))
        .check(z.maxLength(maxItems, `must have at most ${maxItems} items`)),
    ]),
    z.transform((value) => (Array.isArray(value) ? value : [value]).filter((item) => item !== "")),
  );

/** A day (`2026-03-14`) or an instant with a zone (`2026-03-14T14:05:00Z`). */
const dateOrInstant = z.union(
  [z.iso.date(), z.iso.datetime({ offset: true })],
  "must be a date such as 2026-03-14 or 2026-03-14T14:05:00Z",
);

/**
 * Narrow similar tickets: any of the services, any of the teams (a writeup's
 * `owner`), opened (a writeup's `date`) from `since` to `until`, both days
 * included.
 */
export const SimilarFilters = z.strictObject({
  services: z.optional(list(20, 200)),
  teams: z.optional(list(20, 200)),
  since: z.optional(dateOrInstant),
  until: z.optional(dateOrInstant),
});
export type SimilarFilters = z.infer<typeof SimilarFilters>;

/** The body of `POST /v1/similar`: a ticket, the past tickets and incident writeups most like it. */
export const SimilarRequest = z.strictObject({
  ticket: Ticket.check(
    z.refine(
      (ticket) => Boolean(ticket.title || ticket.description || ticket.logs),
      "needs a title, a description or logs",
    ),
  ),
  filters: z.optional(SimilarFilters),
  /** Past tickets returned, and incident writeups returned. 1–20, default the server's DEFAULT_TOP_K. */
  topK: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(20))),
});
export type SimilarRequest = z.infer<typeof SimilarRequest>;
