export interface EmbedOptions {
  signal?: AbortSignal | undefined;
}

/**
 * The embedding seam. `id` names provider, model and (when fixed) dimensions; it is
 * stored with the index so that a query never meets vectors from another model.
 */
export interface Embedder {
  readonly id: string;
  /** Known up front for the offline embedder and for models asked for a size; else learnt from the first answer. */
  readonly dimensions: number | undefined;
  /** How many texts one `embed` call should carry at most; callers batch to it. */
  readonly maxBatchSize: number;
  /** How many `embed` calls may run at once; a caller that splits its texts keeps up to this many in flight. */
  readonly maxParallelCalls: number;
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
}
