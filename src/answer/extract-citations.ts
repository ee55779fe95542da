/** Source numbers cited as [n] (or [n, m]) in an answer, limited to those that were sent. Sorted, unique. */
export function extractCitations(text: string, sourceCount: number): number[] {
  const cited = new Set<number>();
  for (const match of text.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g)) {
    for (const number of (match[1] ?? "").split(",")) {
      const n = Number(number.trim());
      if (Number.isInteger(n) && n >= 1 && n <= sourceCount) cited.add(n);
    }
  }
  return [...cited].sort((left, right) => left - right);
}
