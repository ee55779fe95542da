import OpenAI from "openai";
import type { EmbeddingConfig } from "../config.js";
import type { Embedder } from "./embedder.js";
import { createFeatureHashEmbedder } from "./feature-hash-embedder.js";
import { createOpenAIEmbedder } from "./openai-embedder.js";
import { createUseLiteEmbedder } from "./use-lite-embedder.js";

/** Build the embedder the settings ask for. Entry points call this; library code takes an Embedder. */
export function createEmbedder(config: EmbeddingConfig): Embedder {
  if (config.provider === "offline") {
    return config.model === "use-lite"
      ? createUseLiteEmbedder()
      : createFeatureHashEmbedder(config.dimensions);
  }
  const client = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL ?? null,
    maxRetries: config.maxRetries,
    timeout: config.timeoutMs,
  });
  return createOpenAIEmbedder({
    client,
    model: config.model,
    dimensions: config.dimensions,
    batchSize: config.batchSize,
    concurrency: config.concurrency,
    // Retries and their Retry-After waits stay within the one deadline the settings give.
    deadlineMs: config.timeoutMs,
  });
}
