/** Headings of sections that act: what an on-call engineer does (English). */
const actingHeading =
  /remediat|mitigat|\bsteps?\b|resolution|resolv|\bfix|workaround|recover|restor|roll\s*back|rollback|procedure|how to|how (?:do|can|should) (?:i|we|you)\b|what to do/i;
/** Headings of sections that restate a problem rather than act on it (English). */
const restatingHeading = /symptom|meaning|what it means|\bimpact|verif|validat|when to use/i;

/**
 * What a section does for someone who wants a problem fixed: `acting`
 * (Remediation, Steps, Workaround…), `restating` (Symptoms, Meaning, Impact,
 * Verify: what they already see), or undefined. The deepest heading that says
 * decides: a "Verify" under "Remediation" restates.
 */
export function sectionRole(headingPath: readonly string[]): "acting" | "restating" | undefined {
  for (let depth = headingPath.length - 1; depth >= 0; depth--) {
    const heading = headingPath[depth] ?? "";
    if (restatingHeading.test(heading)) return "restating";
    if (actingHeading.test(heading)) return "acting";
  }
  return undefined;
}
