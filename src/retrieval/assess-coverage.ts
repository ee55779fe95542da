import type { Coverage } from "../contract/coverage.js";
import { termKey } from "../text/term-key.js";
import { contentWords } from "./query-terms.js";
import type { SearchQuery } from "./search-query.js";
import type { Source } from "./source.js";

/** Share of the question's content words that must appear in the top sources. Range 0–1, default 0.5. */
export const defaultCoverageThreshold = 0.5;

export function assessCoverage(
  query: SearchQuery,
  sources: readonly Source[],
  threshold = defaultCoverageThreshold,
): Coverage {
  if (sources.length === 0) return "none";
  const { found, wanted } = termMatches(query, sources);
  if (wanted === 0) return "covered";
  // One shared word is chance, not coverage: "meaning of life" meets "mean_exec_time".
  return found / wanted >= threshold && found >= Math.min(2, wanted) ? "covered" : "weak";
}

/** Fraction of distinct question terms (question and ticket title) found in the top three sources. */
export function termCoverage(query: SearchQuery, sources: readonly Source[]): number {
  const { found, wanted } = termMatches(query, sources);
  return wanted === 0 ? 1 : found / wanted;
}

function termMatches(
  query: SearchQuery,
  sources: readonly Source[],
): { found: number; wanted: number } {
  const wanted = new Set(contentWords(`${query.question} ${query.ticket?.title ?? ""}`));
  if (wanted.size === 0) return { found: 0, wanted: 0 };
  const sourceWords = sources
    .slice(0, 3)
    .flatMap((source) =>
      contentWords(
        `${source.title} ${source.headingPath.join(" ")} ${source.services.join(" ")} ${source.text}`,
      ),
    );
  const presentWords = new Set(sourceWords);
  const presentKeys = new Set(sourceWords.map(termKey));
  let found = 0;
  for (const word of wanted) {
    if (presentKeys.has(termKey(word)) || hasNearMiss(word, presentWords)) found++;
  }
  return { found, wanted: wanted.size };
}

/** Typos count: a term of five or more letters matches a present term one edit (or one swap of neighbours) away. */
function hasNearMiss(term: string, present: ReadonlySet<string>): boolean {
  if (term.length < 5) return false;
  for (const candidate of present) {
    if (Math.abs(candidate.length - term.length) <= 1 && withinOneEdit(term, candidate))
      return true;
  }
  return false;
}

function withinOneEdit(left: string, right: string): boolean {
  if (left === right) return true;
  if (left.length === right.length && isOneSwap(left, right)) return true;
  const [shorter, longer] = left.length <= right.length ? [left, right] : [right, left];
  let edits = 0;
  let shortIndex = 0;
  let longIndex = 0;
  while (shortIndex < shorter.length && longIndex < longer.length) {
    if (shorter[shortIndex] === longer[longIndex]) {
      shortIndex++;
      longIndex++;
      continue;
    }
    if (++edits > 1) return false;
    if (shorter.length === longer.length) shortIndex++;
    longIndex++;
  }
  return edits + (longer.length - longIndex) <= 1;
}

function isOneSwap(left: string, right: string): boolean {
  const differ: number[] = [];
  for (let index = 0; index < left.length && differ.length <= 2; index++) {
    if (left[index] !== right[index]) differ.push(index);
  }
  const [first, second] = differ;
  return (
    differ.length === 2 &&
    first !== undefined &&
    second === first + 1 &&
    left[first] === right[second] &&
    left[second] === right[first]
  );
}
