import * as z from "zod/mini";
import { boundedText } from "./bounded-text.js";

/**
 * The incident ticket an engineer is holding: context that shapes retrieval, never
 * instructions. Every field is optional and bounded.
 */
export const Ticket = z.strictObject({
  id: z.optional(boundedText(200)),
  title: z.optional(boundedText(500)),
  description: z.optional(boundedText(20_000)),
  service: z.optional(boundedText(200)),
  priority: z.optional(boundedText(50)),
  /** Free-form fields from the ticketing tool. */
  fields: z.optional(
    z
      .record(boundedText(100), boundedText(2_000))
      .check(z.refine((fields) => Object.keys(fields).length <= 50, "must have at most 50 fields")),
  ),
  /** Pasted log lines. */
  logs: z.optional(boundedText(50_000)),
});
export type Ticket = z.infer<typeof Ticket>;
