import type { Embedder } from "../embed/embedder.js";
import type { Logger } from "../logger.js";
import type { IndexSnapshot, ScoredChunk } from "../store/index-snapshot.js";
import { buildSearchText } from "./build-search-text.js";
import { fullTextTerms, spelledOutTerms } from "./full-text-terms.js";
import type { QueryExpander } from "./query-expander.js";
import type { RetrievalTuning } from "./retrieval-tuning.js";
import type { SearchQuery } from "./search-query.js";

/** One ranking of candidates and how much it counts in the fusion. */
export interface CandidateList {
  items: ScoredChunk[];
  weight: number;
}

/**
 * The rankings to fuse, filters pushed into each: full text (BM25) of the
 * search text, nearest vectors (skipped at weight 0), full text of the query
 * expansion's terms when an expander is configured, of the search text
 * with its shorthand spelled out when it has some, and of the search text within
 * the documents whose alias the question quotes.
 */
export async function gatherCandidates(
  deps: {
    embedder: Embedder;
    queryExpander?: QueryExpander | undefined;
    logger?: Logger | undefined;
  },
  snapshot: IndexSnapshot,
  query: SearchQuery,
  tuning: RetrievalTuning,
  signal: AbortSignal | undefined,
  /** Documents a follow-up leans on: its words are also searched within them alone. */
  followUpDocuments: readonly string[] = [],
  /** Documents whose alias the question quotes verbatim: its words are also searched within them. */
  quotedDocuments: readonly string[] = [],
): Promise<CandidateList[]> {
  const searchText = buildSearchText(query);
  const searchTerms = fullTextTerms(searchText);
  const filters = query.filters;
  // Enough candidates that the per-document and per-section limits still leave topK.
  const limit = Math.max(10, query.topK * tuning.candidateFactor);

  const vectorSearch = async () => {
    if (tuning.vectorWeight === 0) return [];
    const [queryVector] = await deps.embedder.embed([searchText], { signal });
    return snapshot.nearestVectors(queryVector as Float32Array, {
      filters,
      limit,
      probes: tuning.vectorProbes,
    });
  };
  // The question's own search runs while the model thinks; the expansion's search follows it.
  const expansionSearch = async () => {
    const terms = await expandQuery(deps, query, signal);
    return terms.length === 0
      ? []
      : snapshot.fullTextCandidates(fullTextTerms(terms.join("\n")), { filters, limit });
  };
  // The previous question joins the follow-up's own words: "verify it" within two runbooks
  // finds the Verify of the one the previous question was about.
  const followUpSearch = async () => {
    if (followUpDocuments.length === 0) return [];
    const previous = query.history?.at(-1)?.question ?? "";
    return snapshot.fullTextCandidates(fullTextTerms(`${searchText}\n${previous}`), {
      filters: { ...filters, documents: followUpDocuments },
      limit,
    });
  };
  // Shorthand spelled out ("k8s pvc" as "kubernetes persistent volume claim"), searched with
  // the question's words as a ranking of its own that reinforces but never outvotes the question.
  const longFormSearch = async () => {
    const terms = spelledOutTerms(searchText, tuning.longFormWeight);
    return terms === undefined ? [] : snapshot.fullTextCandidates(terms, { filters, limit });
  };
  const [vectorHits, textHits, expansionHits, followUpHits, longFormHits] = await Promise.all([
    vectorSearch(),
    snapshot.fullTextCandidates(searchTerms, { filters, limit }),
    expansionSearch(),
    followUpSearch(),
    longFormSearch(),
  ]);
  // An alert quoted by its name ("PayNorthLatencyHigh") reaches its runbook even when the name's
  // words ("latency", "high") fill the question's own search with other documents: when that
  // search missed one, the quoted documents are searched on their own, ranked among themselves
  // (a filtered query costs a few milliseconds, so only then).
  const found = new Set(textHits.map((hit) => hit.item.docPath));
  const quotedHits = quotedDocuments.every((path) => found.has(path))
    ? []
    : await snapshot.fullTextCandidates(searchTerms, {
        filters: { ...filters, documents: quotedDocuments },
        limit,
      });
  return [
    { items: textHits, weight: tuning.fullTextWeight },
    { items: vectorHits, weight: tuning.vectorWeight },
    { items: expansionHits, weight: tuning.expansionWeight },
    { items: followUpHits, weight: tuning.followUpWeight },
    { items: longFormHits, weight: tuning.longFormWeight },
    { items: quotedHits, weight: tuning.fullTextWeight },
  ];
}

/** The expansion's terms, or none when there is no expander or it fails (logged; the search goes on without them). */
async function expandQuery(
  deps: { queryExpander?: QueryExpander | undefined; logger?: Logger | undefined },
  query: SearchQuery,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const expander = deps.queryExpander;
  if (!expander) return [];
  try {
    return await expander.expand(query, { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    deps.logger?.warn("query expansion failed; searching with the question alone", {
      expander: expander.id,
      error,
    });
    return [];
  }
}
