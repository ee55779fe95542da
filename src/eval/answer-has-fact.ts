/** Whether an answer quotes at least one expected fact (case-insensitive, verbatim otherwise). */
export function answerHasFact(answer: string, facts: readonly string[]): boolean {
  const lower = answer.toLowerCase();
  return facts.some((fact) => lower.includes(fact.toLowerCase()));
}
