import type { ScoreStage } from "./score-stage.js";

/** Chunks of a document whose alias the question quotes verbatim (an alert name, an error string). */
export const namedDocumentBoost: ScoreStage = (candidate, { namedDocuments, tuning }) =>
  namedDocuments.has(candidate.docPath) ? tuning.namedDocumentBoost : 1;
