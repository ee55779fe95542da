import pMap from "p-map";
import type { Embedder } from "../embed/embedder.js";

/**
 * Never hand the embedder more than `maxBatchSize` texts at once, and keep up
 * to `maxParallelCalls` calls in flight (an OpenAI-compatible embedder's
 * EMBEDDING_CONCURRENCY), so splitting costs no throughput.
 */
export async function embedInBatches(
  embedder: Embedder,
  texts: readonly string[],
  signal: AbortSignal | undefined,
): Promise<Float32Array[]> {
  const batches: string[][] = [];
  for (let start = 0; start < texts.length; start += embedder.maxBatchSize) {
    batches.push(texts.slice(start, start + embedder.maxBatchSize));
  }
  const vectors = await pMap(batches, (batch) => embedder.embed(batch, { signal }), {
    concurrency: embedder.maxParallelCalls,
    ...(signal ? { signal } : {}),
  });
  return vectors.flat();
}
