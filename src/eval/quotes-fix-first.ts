import type { CollectedAnswer } from "./collect-answer.js";

/** Headings of sections that act: what an on-call engineer does, not what they see. English only. */
const actingHeading =
  /remediat|mitigat|\bsteps?\b|resolution|resolv|\bfix|workaround|recover|restor|roll\s*back|rollback|procedure|how to|what to do/i;
/** Headings that restate the question: never the fix, whatever words they share. */
const restatingHeading = /symptom|meaning|what it means|impact|verif|when to use/i;

/**
 * Whether the first source the answer quotes is a section of `gold` that acts:
 * a Remediation, Mitigation, Steps… heading, or a branch whose heading shares
 * a word with what was asked (an "If OOMKilled" branch for `OOMKilled`).
 */
export function quotesFixFirst(answer: CollectedAnswer, gold: string, asked: string): boolean {
  const firstCited = /\[(\d+)\]/.exec(answer.text)?.[1];
  if (answer.finishReason !== "stop" || firstCited === undefined) return false;
  const lead = answer.sources.find((source) => source.n === Number(firstCited));
  if (lead === undefined || lead.path !== gold) return false;
  const heading = lead.headingPath.join(" / ");
  if (restatingHeading.test(heading)) return false;
  if (actingHeading.test(heading)) return true;
  const headingWords = new Set(wordsOf(heading));
  return wordsOf(asked).some((word) => word.length >= 4 && headingWords.has(word));
}

function wordsOf(text: string): string[] {
  return text
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "");
}
