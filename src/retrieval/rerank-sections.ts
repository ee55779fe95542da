import type { Logger } from "../logger.js";
import { buildSearchText } from "./build-search-text.js";
import type { Reranker } from "./reranker.js";
import type { SearchQuery } from "./search-query.js";
import type { Source } from "./source.js";

/** Reorder sections by the reranker's scores; on failure keep the fused order and say so. */
export async function rerankSections<T extends Omit<Source, "n">>(
  deps: { reranker: Reranker; logger?: Logger | undefined },
  query: SearchQuery,
  sections: T[],
  signal: AbortSignal | undefined,
): Promise<T[]> {
  const { reranker } = deps;
  const documents = sections.map((section) =>
    `${[section.title, ...section.headingPath].join(" > ")}\n${section.text}`.slice(0, 2000),
  );
  try {
    const scores = await reranker.rerank(buildSearchText(query), documents, { signal });
    return sections
      .map((section, position) => ({
        section,
        score: scores[position] ?? Number.NEGATIVE_INFINITY,
      }))
      .sort((left, right) => right.score - left.score)
      .map(({ section, score }) => ({ ...section, score: Number(score.toFixed(6)) }));
  } catch (error) {
    if (signal?.aborted) throw error;
    deps.logger?.warn("rerank failed; keeping the fused order", { reranker: reranker.id, error });
    return sections;
  }
}
