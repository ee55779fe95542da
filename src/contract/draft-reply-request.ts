import * as z from "zod/mini";
import { Ticket } from "./ticket.js";
import { TriageResponse } from "./triage-response.js";

/**
 * Who the draft is for. `reporter`: the person who raised the ticket, so no internal detail;
 * `resolver`: an internal work note for the team, which may name past tickets and hosts.
 */
export const DraftAudience = z.enum(["reporter", "resolver"]);
export type DraftAudience = z.infer<typeof DraftAudience>;

/** The body of `POST /v1/draft-reply`. Unknown fields are refused. */
export const DraftReplyRequest = z.strictObject({
  ticket: Ticket.check(
    z.refine(
      (ticket) => Boolean(ticket.title || ticket.description || ticket.logs),
      "needs a title, a description or logs",
    ),
  ),
  /** A `POST /v1/triage` response for this ticket; triaged afresh when absent. */
  triage: z.optional(TriageResponse),
  /** Default `reporter`. */
  audience: z.optional(DraftAudience),
  /** false asks for one JSON object instead of an event stream. */
  stream: z.optional(z.boolean()),
});
export type DraftReplyRequest = z.infer<typeof DraftReplyRequest>;
