import { contentWords } from "./content-words.js";

/** Openers that continue a conversation rather than start one (English). */
const continuingOpener =
  /^\s*(?:and|but|also|so|then|ok(?:ay)?|now|what\s+if|what\s+about|how\s+about|same\s+for|and\s+if)\b/;
/** Words that point back at something said before (English). */
const pointingBack =
  /\b(?:it|its|that|this|those|these|them|they|there|the\s+same|the\s+above|afterwards?|too|as\s+well|instead)\b/;
/** A question naming more content words than this has a subject of its own. */
const maxLeaningWords = 3;

/**
 * Whether a question leans on the previous turn ("and how do I verify it?",
 * "what if that fails?", "and on the replica?"): it continues the
 * conversation or points back at something, and is too short to name its
 * own subject. "How do I roll back checkout-api?" stands alone.
 */
export function leansOnPreviousTurn(question: string): boolean {
  const lower = question.toLowerCase();
  if (contentWords(lower).length > maxLeaningWords) return false;
  return continuingOpener.test(lower) || pointingBack.test(lower);
}
