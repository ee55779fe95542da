export interface RateLimiter {
  /** Takes one request from the caller's bucket: undefined when allowed, else seconds to wait. */
  take(caller: string, nowMs?: number): number | undefined;
}

/** Buckets kept before idle (full) ones are forgotten, so many callers cannot grow memory. */
const maxBuckets = 10_000;

/**
 * A token bucket per caller (an API key's name, or an address): `perMinute` requests a
 * minute on average, with bursts up to the same number.
 */
export function createRateLimiter(perMinute: number): RateLimiter {
  const refillPerMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; updatedMs: number }>();

  const forgetIdle = (nowMs: number) => {
    for (const [caller, bucket] of buckets) {
      if (bucket.tokens + (nowMs - bucket.updatedMs) * refillPerMs >= perMinute) {
        buckets.delete(caller);
      }
    }
  };

  return {
    take(caller, nowMs = performance.now()) {
      let bucket = buckets.get(caller);
      if (!bucket) {
        if (buckets.size >= maxBuckets) forgetIdle(nowMs);
        bucket = { tokens: perMinute, updatedMs: nowMs };
        buckets.set(caller, bucket);
      }
      bucket.tokens = Math.min(perMinute, bucket.tokens + (nowMs - bucket.updatedMs) * refillPerMs);
      bucket.updatedMs = nowMs;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return undefined;
      }
      return (1 - bucket.tokens) / refillPerMs / 1000;
    },
  };
}
