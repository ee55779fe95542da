import type { ScoreStage } from "./score-stage.js";

const procedureSection =
  /\b(remediation|resolution|fix|steps|mitigation|procedure|recovery|restore|how to|how (?:do|can|should) (?:i|we|you))\b/i;
/** Undoing a change is the procedure only when the question asks to undo one. */
const undoingSection = /\b(rollback|roll back|revert|back out|backout|undo|downgrade)\b/i;
const verifySection = /\b(verify|verification|validate|validation)\b/i;
const diagnosisSection =
  /\b(diagnosis|symptoms|investigation|check|causes?|troubleshooting|triage)\b/i;

/**
 * Multiplier for a chunk's fused score: `tuning.intentBoost` when its section
 * serves one of the question's intents (runbook steps for a procedure,
 * diagnosis sections for a diagnosis, incident writeups for history), else 1.
 */
export const intentBoost: ScoreStage = (candidate, { intents, tuning }) => {
  const boost = tuning.intentBoost;
  const heading = candidate.headingPath.join(" ");
  const isIncident = candidate.kind === "incident";
  // Steps come from runbooks; an incident's resolution is history, not a procedure.
  const serves =
    (intents.procedure &&
      !isIncident &&
      (procedureSection.test(heading) || (intents.undo && undoingSection.test(heading)))) ||
    (intents.diagnosis && diagnosisSection.test(heading)) ||
    (intents.verification && !isIncident && verifySection.test(heading)) ||
    (intents.history && isIncident);
  if (serves) return boost;
  // Checking a fix is part of the procedure, but the steps themselves come first.
  if (intents.procedure && !isIncident && verifySection.test(heading)) return 1 + (boost - 1) / 2;
  return 1;
};
