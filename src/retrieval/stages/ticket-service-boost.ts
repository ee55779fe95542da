import type { ScoreStage } from "./score-stage.js";

/**
 * Chunks of the service the ticket names (its documents' `services`, or a runbook the catalogue
 * lists for it), when look-alike runbooks exist for several services.
 */
export const ticketServiceBoost: ScoreStage = (candidate, { services, tuning }) =>
  services.runbooks.has(candidate.docPath) ||
  candidate.services.some((service) => services.names.has(service.toLowerCase()))
    ? tuning.ticketServiceBoost
    : 1;
