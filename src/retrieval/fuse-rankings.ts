export interface RankedList<T> {
  items: readonly T[];
  /** How much this ranking counts; 1 is a full vote. */
  weight: number;
}

/**
 * Weighted reciprocal rank fusion (Cormack et al., 2009): an item's score is
 * the sum over rankings of weight / (k + rank). Rank-based, so BM25 scores and
 * cosine distances need no common scale. k = 60 is the paper's default.
 */
export function fuseRankings<T>(
  rankings: readonly RankedList<T>[],
  keyOf: (item: T) => string,
  k = 60,
): { item: T; score: number }[] {
  const fused = new Map<string, { item: T; score: number }>();
  for (const ranking of rankings) {
    ranking.items.forEach((item, position) => {
      const key = keyOf(item);
      const contribution = ranking.weight / (k + position + 1);
      const entry = fused.get(key);
      if (entry) entry.score += contribution;
      else fused.set(key, { item, score: contribution });
    });
  }
  return [...fused.values()].sort((left, right) => right.score - left.score);
}
