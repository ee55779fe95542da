import { identifierWords } from "../text/identifier-words.js";
import { longFormsIn } from "../text/ops-abbreviations.js";

/**
 * Plain words only: user text must never be read as query syntax. A CamelCase
 * identifier (`KubePodCrashLooping`, `CrashLoopBackOff`) also searches for its
 * words, since documents write them as words in titles and prose.
 */
export function fullTextTerms(text: string): string {
  const words = text
    // When it happened is an intent (past incidents), not a term: "yesterday morning" in a
    // writeup's summary must not outrank the service the question names.
    .replace(relativeTimeWords, " ")
    .replace(/[^\p{L}\p{N}_]+/gu, " ")
    .trim()
    .slice(0, 1000);
  const parts = identifierWords(words);
  return parts.length > 0 ? `${words} ${parts.join(" ")}` : words;
}

/**
 * The terms of `text` with its shorthand spelled out ("k8s pvc" also as "kubernetes
 * persistent volume claim"), searched as a ranking of their own beside the text's own terms;
 * undefined when the text has no shorthand, or when that ranking weighs nothing.
 */
export function spelledOutTerms(text: string, weight: number): string | undefined {
  const longForms = longFormsIn(text);
  return longForms === "" || weight === 0 ? undefined : fullTextTerms(`${text}\n${longForms}`);
}

const relativeTimeWords =
  /\b(?:(?:this|last|yesterday)\s+(?:morning|afternoon|evening|night|week(?:end)?|month)|yesterday|today|tonight|tomorrow)\b/gi;
