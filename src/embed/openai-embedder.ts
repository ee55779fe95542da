import type OpenAI from "openai";
import pMap from "p-map";
import { z } from "zod";
import { KbError } from "../errors.js";
import { toUpstreamError } from "../model/upstream-error.js";
import type { Embedder, EmbedOptions } from "./embedder.js";

export interface OpenAIEmbedderOptions {
  /** A configured client: its baseURL, apiKey, maxRetries and timeout apply to every call. */
  client: OpenAI;
  model: string;
  dimensions?: number | undefined;
  batchSize?: number;
  concurrency?: number;
  /**
   * Longest one batch may take, retries and their Retry-After waits included: the SDK would
   * otherwise sleep for what the endpoint says (up to a minute a retry). Milliseconds; default none.
   */
  deadlineMs?: number;
}

/** Untrusted upstream: servers differ, so check what came back before storing it. */
const EmbeddingResponse = z.object({
  data: z
    .array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()).min(1) }))
    .min(1),
});

/** Any OpenAI-compatible `/v1/embeddings` endpoint: OpenAI, Oxlo, Ollama, vLLM, TEI, LM Studio. */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const { client, model, dimensions } = options;
  const batchSize = options.batchSize ?? 64;
  const concurrency = options.concurrency ?? 2;
  const endpoint = `${client.baseURL} (model ${model})`;

  const embedBatch = async (batch: readonly string[], signal: AbortSignal | undefined) => {
    let raw: unknown;
    const deadline =
      options.deadlineMs === undefined ? undefined : AbortSignal.timeout(options.deadlineMs);
    const bounded = deadline && signal ? AbortSignal.any([signal, deadline]) : (deadline ?? signal);
    try {
      raw = await client.embeddings.create(
        {
          model,
          input: [...batch],
          // Ask for plain floats: base64 (the SDK's default) is not supported everywhere.
          encoding_format: "float",
          ...(dimensions === undefined ? {} : { dimensions }),
        },
        bounded ? { signal: bounded } : {},
      );
    } catch (error) {
      throw toUpstreamError(error, `Embedding request to ${endpoint}`, {
        signal,
        ...(deadline ? { deadline } : {}),
        ...(options.deadlineMs === undefined ? {} : { timeoutMs: options.deadlineMs }),
      });
    }
    const parsed = EmbeddingResponse.safeParse(raw);
    if (!parsed.success || parsed.data.data.length !== batch.length) {
      throw new KbError(
        "upstream_error",
        `Embedding endpoint ${endpoint} returned a malformed response: expected ${batch.length} embeddings`,
        { details: parsed.success ? undefined : parsed.error.issues.slice(0, 3) },
      );
    }
    const vectors: Float32Array[] = new Array(batch.length);
    for (const item of parsed.data.data) vectors[item.index] = Float32Array.from(item.embedding);
    const width = vectors[0]?.length;
    if (vectors.some((vector) => vector === undefined || vector.length !== width)) {
      throw new KbError(
        "upstream_error",
        `Embedding endpoint ${endpoint} returned embeddings with missing indexes or mixed sizes`,
      );
    }
    if (dimensions !== undefined && width !== dimensions) {
      throw new KbError(
        "upstream_error",
        `Embedding endpoint ${endpoint} returned ${width}-d vectors but EMBEDDING_DIMENSIONS is ${dimensions}`,
      );
    }
    return vectors;
  };

  return {
    id: `openai:${model}${dimensions === undefined ? "" : `:${dimensions}`}`,
    dimensions,
    maxBatchSize: batchSize,
    maxParallelCalls: concurrency,
    async embed(texts: readonly string[], embedOptions: EmbedOptions = {}) {
      const batches: string[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        batches.push(texts.slice(start, start + batchSize));
      }
      const results = await pMap(batches, (batch) => embedBatch(batch, embedOptions.signal), {
        concurrency,
        ...(embedOptions.signal ? { signal: embedOptions.signal } : {}),
      });
      return results.flat();
    },
  };
}
