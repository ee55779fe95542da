import * as z from "zod/mini";
import { boundedText } from "./bounded-text.js";

/** One message of the ticket's conversation. */
export const TicketComment = z.strictObject({
  author: z.optional(boundedText(200)),
  /** When it was written: ISO 8601 with a zone. */
  at: z.optional(
    z.iso.datetime({ offset: true, error: "must be a time such as 2026-03-14T14:05:00Z" }),
  ),
  text: boundedText(20_000),
  /** A work note the reporter does not see: never shown in a reply drafted for the reporter. */
  internal: z.optional(z.boolean()),
});
export type TicketComment = z.infer<typeof TicketComment>;

/** An attachment's text: a pasted log, a config file. */
export const TicketAttachment = z.strictObject({
  name: z.optional(boundedText(300)),
  text: boundedText(200_000),
});
export type TicketAttachment = z.infer<typeof TicketAttachment>;

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
  /** The conversation so far, oldest first; a prompt keeps what fits (see CHAT_CONTEXT_TOKENS). */
  comments: z.optional(
    z.array(TicketComment).check(z.maxLength(500, "must have at most 500 comments")),
  ),
  attachments: z.optional(
    z.array(TicketAttachment).check(z.maxLength(20, "must have at most 20 attachments")),
  ),
});
export type Ticket = z.infer<typeof Ticket>;
