/** A second-stage ranker: scores each candidate text against the query, higher is better. */
export interface Reranker {
  readonly id: string;
  rerank(
    query: string,
    documents: readonly string[],
    options?: { signal?: AbortSignal | undefined },
  ): Promise<number[]>;
}
