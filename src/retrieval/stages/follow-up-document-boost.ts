import type { ScoreStage } from "./score-stage.js";

/** Chunks of the documents a follow-up leans on: "verify it" means the runbook just cited. */
export const followUpDocumentBoost: ScoreStage = (candidate, { followUpDocuments, tuning }) =>
  followUpDocuments.has(candidate.docPath) ? tuning.followUpDocumentBoost : 1;
