export interface ScoredList<T> {
  /** Best first; `score` is higher-is-better and non-negative (BM25 score, cosine similarity). */
  items: readonly { item: T; score: number }[];
  /** How much this list counts; 1 is a full vote. */
  weight: number;
}

/**
 * Relative score fusion (Weaviate's `relativeScoreFusion`): each list's scores
 * are divided by that list's best, then summed with the lists' weights. Unlike
 * reciprocal rank fusion it keeps how far ahead a hit is: a chunk that BM25
 * scores 25 against the next one's 20 stays 25% ahead, where ranks 1 and 3
 * would be 3% apart and any ×1.1 prior would overturn them.
 */
export function fuseScores<T>(
  lists: readonly ScoredList<T>[],
  keyOf: (item: T) => string,
): { item: T; score: number }[] {
  const fused = new Map<string, { item: T; score: number }>();
  for (const list of lists) {
    if (list.weight === 0) continue;
    const best = Math.max(0, ...list.items.map((entry) => entry.score));
    if (best === 0) continue;
    for (const { item, score } of list.items) {
      const key = keyOf(item);
      const contribution = (list.weight * Math.max(0, score)) / best;
      const entry = fused.get(key);
      if (entry) entry.score += contribution;
      else fused.set(key, { item, score: contribution });
    }
  }
  return [...fused.values()].sort((left, right) => right.score - left.score);
}
