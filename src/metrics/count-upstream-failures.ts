import type { Embedder } from "../embed/embedder.js";
import { KbError } from "../errors.js";
import type { QueryExpander } from "../retrieval/query-expander.js";
import type { Reranker } from "../retrieval/reranker.js";
import type { Metrics, UpstreamEndpoint } from "./create-metrics.js";
import { isUpstreamCode } from "./measure-answer.js";

interface UpstreamSeams {
  embedder: Embedder;
  reranker?: Reranker | undefined;
  queryExpander?: QueryExpander | undefined;
}

/**
 * The same seams, counting each failed call to a model endpoint by its code. Searches go on
 * without a failed rerank or expansion (only a log line says so): this is where they show.
 */
export function countUpstreamFailures<Seams extends UpstreamSeams>(
  metrics: Metrics,
  seams: Seams,
): Seams {
  const { embedder, reranker, queryExpander } = seams;
  return {
    ...seams,
    embedder: {
      // Getters, not copies: an endpoint's dimensions are learnt from its first answer.
      get id() {
        return embedder.id;
      },
      get dimensions() {
        return embedder.dimensions;
      },
      get maxBatchSize() {
        return embedder.maxBatchSize;
      },
      get maxParallelCalls() {
        return embedder.maxParallelCalls;
      },
      embed: (texts, options) =>
        counted(metrics, "embeddings", options?.signal, () => embedder.embed(texts, options)),
    },
    reranker: reranker && {
      id: reranker.id,
      rerank: (query, documents, options) =>
        counted(metrics, "rerank", options?.signal, () =>
          reranker.rerank(query, documents, options),
        ),
    },
    queryExpander: queryExpander && {
      id: queryExpander.id,
      expand: (query, options) =>
        counted(metrics, "query_expansion", options?.signal, () =>
          queryExpander.expand(query, options),
        ),
    },
  };
}

async function counted<Result>(
  metrics: Metrics,
  endpoint: UpstreamEndpoint,
  signal: AbortSignal | undefined,
  call: () => Promise<Result>,
): Promise<Result> {
  try {
    return await call();
  } catch (error) {
    // The caller leaving is not the endpoint's failure.
    if (!signal?.aborted && error instanceof KbError && isUpstreamCode(error.code)) {
      metrics.upstreamErrors.inc({ endpoint, code: error.code });
    }
    throw error;
  }
}
