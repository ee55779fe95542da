import type { ScoreStage } from "./score-stage.js";

/**
 * Chunks of a document whose alias the question quotes verbatim (an alert name, an error
 * string), or spells out word by word (`node not ready` for `KubeNodeNotReady`).
 */
export const namedDocumentBoost: ScoreStage = (
  candidate,
  { namedDocuments, documentsNamedByParts, tuning },
) =>
  namedDocuments.has(candidate.docPath)
    ? tuning.namedDocumentBoost
    : documentsNamedByParts.has(candidate.docPath)
      ? tuning.namedByPartsBoost
      : 1;
