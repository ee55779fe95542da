/**
 * Reorder each document's chunks among the places the ranking gave that
 * document: by `preference` first (higher first), then by score. A document's
 * place comes from its best evidence; which of its sections fills that place
 * comes from what the question asks for, so "how do I" shows a runbook's steps
 * even when its introduction repeats more of the question's words. Each place
 * keeps its score, so scores still fall down the list. `extras` may fill a
 * document's places but bring none of their own.
 */
export function preferWithinDocuments<T extends { docPath: string }>(
  ranked: readonly { item: T; score: number }[],
  preference: (item: T) => number,
  extras: readonly T[] = [],
): { item: T; score: number }[] {
  const byDocument = new Map<string, T[]>();
  for (const item of [...ranked.map((entry) => entry.item), ...extras]) {
    const items = byDocument.get(item.docPath) ?? [];
    items.push(item);
    byDocument.set(item.docPath, items);
  }
  // Stable sort: equal preference keeps the ranking's order, which is by score.
  for (const items of byDocument.values())
    items.sort((left, right) => preference(right) - preference(left));
  const taken = new Map<string, number>();
  return ranked.map(({ item, score }) => {
    const position = taken.get(item.docPath) ?? 0;
    taken.set(item.docPath, position + 1);
    return { item: byDocument.get(item.docPath)?.[position] ?? item, score };
  });
}
