/** p50 and p95 of durations in milliseconds, to a tenth (nearest-rank; 0 when there are none). */
export function durationPercentiles(durations: readonly number[]): { p50: number; p95: number } {
  const sorted = [...durations].sort((left, right) => left - right);
  const percentile = (share: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0) * 10) /
    10;
  return { p50: percentile(0.5), p95: percentile(0.95) };
}
