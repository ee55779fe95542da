import type { Ticket } from "../contract/ticket.js";
import type { PastTicket } from "../ingest/tickets/past-ticket.js";

/** What a reporter's ticket holds when it reaches the API: no labels, no resolution, within its limits. */
export function asRequestTicket(ticket: PastTicket): Ticket {
  return {
    id: ticket.id,
    title: ticket.title.slice(0, 500),
    ...(ticket.description ? { description: ticket.description.slice(0, 20_000) } : {}),
    ...(ticket.service ? { service: ticket.service.slice(0, 200) } : {}),
  };
}
