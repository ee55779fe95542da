import type { ScoreStage } from "./score-stage.js";

/** Sections that point elsewhere rather than answer: link lists and reading lists. */
const navigationHeading = /\b(related|see also|references?|further reading|more reading|links?)\b/i;
/** Who to call: an answer only when the question is about escalating. */
const escalationHeading = /\b(escalation|escalate|contacts?|owners?|ownership)\b/i;
const asksAboutEscalation =
  /\b(escalat\w*|page|paging|pagerduty|who\s+(owns|to\s+(call|page|ask))|contact|owner|on-?call|severity|sev\s?\d)\b/i;

/**
 * Multiplier for a chunk's fused score from what kind of section it is. Link
 * lists and escalation contacts are short and repeat a document's key words,
 * so BM25 ranks them high, but they rarely answer an on-call question.
 */
export const sectionPrior: ScoreStage = (candidate, { question, tuning }) => {
  const heading = candidate.headingPath.join(" ");
  if (navigationHeading.test(heading)) return tuning.navigationSectionWeight;
  if (escalationHeading.test(heading) && !asksAboutEscalation.test(question))
    return tuning.escalationSectionWeight;
  return 1;
};
