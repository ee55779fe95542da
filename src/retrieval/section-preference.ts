import type { ChunkSummary } from "../store/index-rows.js";
import { contentWords } from "../text/content-words.js";
import { sectionRole } from "../text/section-role.js";
import { termKey } from "../text/term-key.js";
import { intentBoost } from "./stages/intent-boost.js";
import type { RankingContext } from "./stages/score-stage.js";

/** Preference for a subsection whose own heading names a word of the question. */
const namedBranchPreference = 1.1;
/** Asked for a fix: preference for the sections that act, and against those that restate the problem. */
const actingPreference = 1.2;
const restatingPreference = 0.8;

/**
 * Which of a document's sections fills its places first: the kind the
 * question asks for (steps for "how do I", the fix for a pasted alert before
 * its Symptoms), and among those a branch whose own heading names the
 * question's words (`If OOMKilled` for `OOMKilled exit code 137`).
 */
export function sectionPreference(context: RankingContext): (item: ChunkSummary) => number {
  const asked = new Set(contentWords(context.question).map(termKey));
  return (item) => {
    const branch = item.headingPath.length >= 2 ? (item.headingPath.at(-1) ?? "") : "";
    const namesBranch = contentWords(branch).some((word) => asked.has(termKey(word)));
    return (
      intentBoost(item, context) *
      rolePreference(item, context) *
      (namesBranch ? namedBranchPreference : 1)
    );
  };
}

function rolePreference(item: ChunkSummary, context: RankingContext): number {
  if (!context.intents.acting) return 1;
  const role = sectionRole(item.headingPath, context.intents);
  return role === "acting" ? actingPreference : role === "restating" ? restatingPreference : 1;
}
