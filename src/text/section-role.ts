/** Headings of sections that act: what an on-call engineer does (English). */
const actingHeading =
  /remediat|mitigat|\bsteps?\b|resolution|resolv|\bfix|workaround|recover|restor|roll\s*back|rollback|procedure|how to|how (?:do|can|should) (?:i|we|you)\b|what to do/i;
/** Headings of sections that restate a problem rather than act on it (English). */
const restatingHeading = /symptom|meaning|what it means|\bimpact|verif|validat|when to use/i;

/** Headings of sections that undo a change: the fix only when the asker wants one undone. */
const undoingHeading = /roll\s*back|rollback|revert|back\s*out|backout|undo|downgrade/i;

/**
 * What a section does for someone who wants a problem fixed: `acting`
 * (Remediation, Steps, Workaround…), `restating` (Symptoms, Meaning, Impact,
 * Verify: what they already see), or undefined. The deepest heading that says
 * decides: a "Verify" under "Remediation" restates. Given the question's
 * intents, a Rollback (Revert, Undo…) acts only when it asks to undo something:
 * "how do I rotate the token" wants the rotation, not how to take it back.
 */
export function sectionRole(
  headingPath: readonly string[],
  intents?: { undo: boolean },
): "acting" | "restating" | undefined {
  for (let depth = headingPath.length - 1; depth >= 0; depth--) {
    const heading = headingPath[depth] ?? "";
    if (restatingHeading.test(heading)) return "restating";
    if (intents !== undefined && !intents.undo && undoingHeading.test(heading)) return undefined;
    if (actingHeading.test(heading)) return "acting";
  }
  return undefined;
}
