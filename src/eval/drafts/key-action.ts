import { contentWords } from "../../text/content-words.js";
import { termKey } from "../../text/term-key.js";

/** Words that make up a resolution's key action: enough to name it, few enough to stay its core. */
const keyActionWords = 3;
/** Of those, how many a text must contain: one shared word is often chance ("restart"), two rarely are. */
const wordsToInclude = 2;

/** A text's content words (stop words dropped), stemmed with termKey, each once, in order. */
export function termKeysOf(text: string): string[] {
  return [...new Set(contentWords(text).map(termKey))];
}

/**
 * The key action of a resolution: its most distinctive stemmed content words (by inverse
 * document frequency over the history's resolutions, so "restarted" or "service" weigh
 * less than "pgbouncer" or "rollback"), leaving out the words of the ticket's own problem,
 * which a draft repeats anyway. Empty when the resolution only restates the problem.
 */
export function createKeyActionReader(historyResolutions: readonly string[]) {
  const documentFrequency = new Map<string, number>();
  for (const resolution of historyResolutions) {
    for (const key of termKeysOf(resolution)) {
      documentFrequency.set(key, (documentFrequency.get(key) ?? 0) + 1);
    }
  }
  const rarity = (key: string) =>
    Math.log((historyResolutions.length + 1) / ((documentFrequency.get(key) ?? 0) + 1));
  return (resolution: string, problem: string): string[] => {
    const problemKeys = new Set(termKeysOf(problem));
    return (
      termKeysOf(resolution)
        .filter((key) => !problemKeys.has(key))
        // Stable: equally rare words keep the resolution's order.
        .sort((left, right) => rarity(right) - rarity(left))
        .slice(0, keyActionWords)
    );
  };
}

/** Whether `text` contains a key action: at least two of its words (all of them when it has fewer). */
export function includesKeyAction(text: string, keyAction: readonly string[]): boolean {
  if (keyAction.length === 0) return false;
  const keys = new Set(termKeysOf(text));
  const found = keyAction.filter((key) => keys.has(key)).length;
  return found >= Math.min(wordsToInclude, keyAction.length);
}
