import type { IndexSnapshot } from "../store/index-snapshot.js";
import { indexStopWords } from "../text/stop-words.js";

/** How much a question word tells: a word few chunks hold says more than one most chunks hold. */
export interface TermRarity {
  /** 0 (in every chunk, or a number found nowhere) up to about ln(2·cap); words never counted weigh 1. */
  weight(word: string): number;
  /** Whether no chunk holds the word: the KB never mentions it. */
  unseen(word: string): boolean;
}

/** Every word weighs the same: the rule without an index to ask. */
export const uniformRarity: TermRarity = { weight: () => 1, unseen: () => false };

/** Chunks counted per word at most: beyond this a word is common anyway. Default 100. */
const countCap = 100;
/** Weight left to the most common word, so a question made only of them is still judged. */
const minimumWeight = 0.05;

/**
 * Inverse chunk frequency of each word, counted through the full-text index
 * (one capped lookup per word). A word the KB never holds weighs the most: it
 * is what the question is about and what no section answers. Numbers found
 * nowhere weigh nothing: a count or a duration, not a subject.
 */
export async function readTermRarity(
  snapshot: IndexSnapshot,
  words: readonly string[],
): Promise<TermRarity> {
  const distinct = [...new Set(words)];
  const [{ chunks }, counts] = await Promise.all([
    snapshot.counts(),
    snapshot.termChunkCounts(distinct, countCap),
  ]);
  const base = Math.max(1, Math.min(chunks, countCap));
  const weights = new Map<string, number>();
  const unseen = new Set<string>();
  distinct.forEach((word, index) => {
    // The index keeps no count of its own stop words: counted nowhere, they are still everywhere.
    const count = indexStopWords.has(word) ? base : Math.min(counts[index] ?? 0, base);
    if (count === 0) unseen.add(word);
    const numberFoundNowhere = count === 0 && /^\d+$/.test(word);
    const weight = Math.max(minimumWeight, Math.log((base + 1) / (count + 0.5)));
    weights.set(word, numberFoundNowhere ? 0 : weight);
  });
  return { weight: (word) => weights.get(word) ?? 1, unseen: (word) => unseen.has(word) };
}
