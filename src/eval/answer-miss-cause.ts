import type { Coverage } from "../contract/coverage.js";

/**
 * Why an answer quoted none of its facts, earliest loss first: the coverage
 * call withheld the answer; a source sent held a fact the selection left out;
 * another section of a source's document held one; or none of those did
 * (retrieval lost it, or the fact is worded differently in the KB).
 */
export type AnswerMissCause =
  | "not_covered"
  | "in_a_source"
  | "in_a_sibling_section"
  | "not_in_the_documents";

export const answerMissCauses: readonly AnswerMissCause[] = [
  "not_covered",
  "in_a_source",
  "in_a_sibling_section",
  "not_in_the_documents",
];

export function answerMissCause(evidence: {
  coverage: Coverage;
  sourcesWithFact: number;
  siblingsWithFact: number;
}): AnswerMissCause {
  if (evidence.coverage !== "covered") return "not_covered";
  if (evidence.sourcesWithFact > 0) return "in_a_source";
  if (evidence.siblingsWithFact > 0) return "in_a_sibling_section";
  return "not_in_the_documents";
}
