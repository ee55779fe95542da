/**
 * Per-document aggregation of chunk scores: each chunk gains `weight` times
 * the scores of its document's best other chunks (at most `others`), so a
 * document that matches the question in several sections outranks one short
 * section elsewhere that happens to repeat the query's words. Sorted best first.
 */
export function addDocumentEvidence<T extends { docPath: string }>(
  scored: readonly { item: T; score: number }[],
  weight: number,
  others: number,
): { item: T; score: number }[] {
  if (weight === 0 || others === 0)
    return [...scored].sort((left, right) => right.score - left.score);
  const byDocument = new Map<string, number[]>();
  for (const { item, score } of scored) {
    const scores = byDocument.get(item.docPath) ?? [];
    scores.push(score);
    byDocument.set(item.docPath, scores);
  }
  for (const scores of byDocument.values()) scores.sort((left, right) => right - left);
  return scored
    .map(({ item, score }) => {
      const scores = byDocument.get(item.docPath) ?? [];
      // The chunk's own score is counted once: drop it from its document's list.
      const rest = [...scores];
      rest.splice(rest.indexOf(score), 1);
      const evidence = rest.slice(0, others).reduce((total, other) => total + other, 0);
      return { item, score: score + weight * evidence };
    })
    .sort((left, right) => right.score - left.score);
}
