import type { ScoreStage } from "./score-stage.js";

/** Chunks of the service the ticket names, when look-alike runbooks exist for several services. */
export const ticketServiceBoost: ScoreStage = (candidate, { ticketService, tuning }) =>
  ticketService && candidate.services.some((service) => service.toLowerCase() === ticketService)
    ? tuning.ticketServiceBoost
    : 1;
