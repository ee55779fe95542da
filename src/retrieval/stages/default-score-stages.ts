import { followUpDocumentBoost } from "./follow-up-document-boost.js";
import { incidentWeightForSteps } from "./incident-weight-for-steps.js";
import { intentBoost } from "./intent-boost.js";
import { namedDocumentBoost } from "./named-document-boost.js";
import { overviewWeight } from "./overview-weight.js";
import type { ScoreStage } from "./score-stage.js";
import { sectionPrior } from "./section-prior.js";
import { ticketServiceBoost } from "./ticket-service-boost.js";

/**
 * The priors every search applies, in this order. Multiplication does not
 * care, but floating point does: the eval's figures were measured in it.
 */
export const defaultScoreStages: readonly ScoreStage[] = [
  ticketServiceBoost,
  sectionPrior,
  intentBoost,
  incidentWeightForSteps,
  overviewWeight,
  namedDocumentBoost,
  followUpDocumentBoost,
];
