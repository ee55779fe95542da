import { z } from "zod";
import { KbError } from "../errors.js";
import { toUpstreamError, upstreamStatusError } from "../model/upstream-error.js";
import type { Reranker } from "./reranker.js";

export interface HttpRerankerOptions {
  /** Base URL of the API, e.g. http://127.0.0.1:8000/v1; requests go to `${baseURL}/rerank`. */
  baseURL: string;
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** Cohere, Jina and vLLM answer `/rerank` with this shape; the scores are matched back by index. */
const RerankResponse = z.object({
  results: z.array(z.object({ index: z.number().int().min(0), relevance_score: z.number() })),
});

/** A Cohere-style `/rerank` endpoint (Cohere, Jina, vLLM, LocalAI). */
export function createHttpReranker(options: HttpRerankerOptions): Reranker {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const url = `${options.baseURL.replace(/\/+$/, "")}/rerank`;
  const what = `Rerank request to ${url} (model ${options.model})`;
  return {
    id: `rerank:${options.model}`,
    async rerank(query, documents, rerankOptions = {}) {
      if (documents.length === 0) return [];
      const deadline = AbortSignal.timeout(options.timeoutMs);
      const signal = rerankOptions.signal
        ? AbortSignal.any([rerankOptions.signal, deadline])
        : deadline;
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          },
          body: JSON.stringify({ model: options.model, query, documents, top_n: documents.length }),
          signal,
        });
      } catch (error) {
        throw toUpstreamError(error, what, {
          signal: rerankOptions.signal,
          deadline,
          timeoutMs: options.timeoutMs,
        });
      }
      if (!response.ok) throw upstreamStatusError(response.status, what);
      const parsed = RerankResponse.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success)
        throw new KbError("upstream_error", `Rerank endpoint ${url} returned a malformed response`);
      const scores = new Array<number>(documents.length).fill(Number.NEGATIVE_INFINITY);
      for (const result of parsed.data.results) {
        if (result.index < documents.length) scores[result.index] = result.relevance_score;
      }
      return scores;
    },
  };
}
