import type { SourceSummary } from "../../contract/source-summary.js";
import type { PastTicket } from "../../ingest/tickets/past-ticket.js";
import { includesKeyAction } from "./key-action.js";

/**
 * Whether a cited source is a right one for the held-out ticket: a past ticket with the
 * same team and category (those both carry; at least one), or whose resolution contains
 * the held-out ticket's key action; or a runbook section (any document) written for the
 * ticket's service.
 */
export function isCorrectSource(
  source: SourceSummary,
  heldOut: PastTicket,
  context: { pastTicket: PastTicket | undefined; keyAction: readonly string[] },
): boolean {
  if (source.kind === "ticket") {
    const past = context.pastTicket;
    if (!past) return false;
    return (
      labelsMatch(past, heldOut) || includesKeyAction(past.resolution ?? "", context.keyAction)
    );
  }
  const service = heldOut.service?.toLowerCase();
  return service !== undefined && source.services.some((name) => name.toLowerCase() === service);
}

function labelsMatch(past: PastTicket, heldOut: PastTicket): boolean {
  const compared = (["team", "category"] as const).filter(
    (field) => past[field] !== null && heldOut[field] !== null,
  );
  return compared.length > 0 && compared.every((field) => past[field] === heldOut[field]);
}
