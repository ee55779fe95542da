import * as z from "zod/mini";
import { Ticket } from "./ticket.js";

/** The body of `POST /v1/triage`: a ticket to label. */
export const TriageRequest = z.strictObject({
  ticket: Ticket.check(
    z.refine(
      (ticket) => Boolean(ticket.title || ticket.description || ticket.logs),
      "needs a title, a description or logs",
    ),
  ),
  /** Similar past tickets, incident writeups and runbook sections returned. 1–20, default 5. */
  topK: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(20))),
});
export type TriageRequest = z.infer<typeof TriageRequest>;
