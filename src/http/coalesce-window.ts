/** Answer streams open at once up to which each keeps the base window. */
const streamsAtBaseWindow = 100;

/**
 * How long a stream's model text may wait to be joined into one `delta` and one write, given
 * the answer streams open now: `baseMs` up to 100 streams, then in proportion to them (twice
 * the streams, twice the window) up to `maxMs`. Each write is a socket write, the largest
 * per-token cost left, so under load the streams write less often rather than all fall behind
 * (docs/answer-cost.md); a base of 0 (every piece at once) stays 0.
 */
export function coalesceWindowMs(baseMs: number, maxMs: number, openStreams: number): number {
  if (openStreams <= streamsAtBaseWindow) return baseMs;
  return Math.max(baseMs, Math.min(maxMs, (baseMs * openStreams) / streamsAtBaseWindow));
}
