/**
 * What an on-call question is after, read from its wording, and which
 * sections serve that: "how do I roll back" wants steps, "why is" wants
 * diagnosis, "has this happened before" wants past incidents.
 */
export type QuestionIntent = "procedure" | "diagnosis" | "history";

const intentPatterns: Record<QuestionIntent, RegExp> = {
  procedure:
    /\b(how (do|can|should|to)|what do (i|we) do|steps?|fix|resolve|remediat\w*|mitigat\w*|roll ?back|restart|recover|restore|rotate|renew|purge|failover|drain|scale)\b/i,
  diagnosis:
    /\b(why|what does .* mean|what causes|cause[sd]?|diagnos\w*|check|investigate|symptoms?|debug|troubleshoot)\b/i,
  history:
    /\b(happened before|last time|previous(ly)?|past incidents?|ever seen|seen this|again|postmortems?|post-mortems?|incidents?)\b/i,
};

const sectionPatterns: Record<Exclude<QuestionIntent, "history">, RegExp> = {
  procedure:
    /\b(remediation|resolution|rollback|roll back|fix|steps|mitigation|procedure|recovery|restore|verify|how to)\b/i,
  diagnosis: /\b(diagnosis|symptoms|investigation|check|causes?|troubleshooting|triage)\b/i,
};

export function detectIntents(question: string): QuestionIntent[] {
  return (Object.keys(intentPatterns) as QuestionIntent[]).filter((intent) =>
    intentPatterns[intent].test(question),
  );
}

/**
 * Multiplier for a chunk's fused score: `boost` when its section (or, for
 * history questions, its kind) serves one of the question's intents, else 1.
 */
export function intentBoost(
  intents: readonly QuestionIntent[],
  section: { headingPath: readonly string[]; kind: string },
  boost: number,
): number {
  if (intents.length === 0) return 1;
  const heading = section.headingPath.join(" ");
  const isIncident = section.kind === "incident";
  const serves = intents.some((intent) => {
    // Steps come from runbooks; an incident's resolution is history, not a procedure.
    if (intent === "procedure") return !isIncident && sectionPatterns.procedure.test(heading);
    if (intent === "history") return isIncident;
    return sectionPatterns[intent].test(heading);
  });
  return serves ? boost : 1;
}
