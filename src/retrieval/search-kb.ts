import type { ServiceCatalogue } from "../catalogue/service-catalogue.js";
import type { Embedder } from "../embed/embedder.js";
import type { Logger } from "../logger.js";
import type { KbReader } from "../store/kb-reader.js";
import { detectIntents } from "../text/question-intents.js";
import { actingSectionsOf } from "./acting-sections-of.js";
import { addDocumentEvidence } from "./add-document-evidence.js";
import { followUpDocuments } from "./follow-up-documents.js";
import { fuseRankings } from "./fuse-rankings.js";
import { fuseScores } from "./fuse-scores.js";
import { type CandidateList, gatherCandidates } from "./gather-candidates.js";
import { documentsNamedByParts, namedDocuments } from "./named-documents.js";
import { namedServices } from "./named-services.js";
import { pickSections } from "./pick-sections.js";
import { preferWithinDocuments } from "./prefer-within-documents.js";
import type { QueryExpander } from "./query-expander.js";
import { rerankSections } from "./rerank-sections.js";
import type { Reranker } from "./reranker.js";
import { defaultRetrievalTuning, type RetrievalTuning } from "./retrieval-tuning.js";
import type { SearchQuery } from "./search-query.js";
import { sectionPreference } from "./section-preference.js";
import type { Source } from "./source.js";
import { applyScoreStages } from "./stages/apply-score-stages.js";
import { defaultScoreStages } from "./stages/default-score-stages.js";
import type { RankingContext, ScoreStage } from "./stages/score-stage.js";
import { widenToSections } from "./widen-to-sections.js";

export interface SearchDeps {
  reader: KbReader;
  embedder: Embedder;
  tuning?: Partial<RetrievalTuning>;
  /** Priors on the fused scores, applied in order. Default defaultScoreStages. */
  stages?: readonly ScoreStage[] | undefined;
  /** Optional second stage: reorders the best sections. A failure falls back to the fused order. */
  reranker?: Reranker | undefined;
  /** Optional: extra search terms from a chat model, searched at `expansionWeight`. A failure searches without them. */
  queryExpander?: QueryExpander | undefined;
  /** Told when the reranker or the query expansion fails. */
  logger?: Logger | undefined;
  /** The KB's service catalogue, live: a service the ticket or question names favours its runbooks. */
  catalogue?: (() => ServiceCatalogue | null) | undefined;
}

/**
 * Hybrid retrieval as a pipeline: candidates (full text, vectors, the query
 * expansion's terms; filters pushed into each) → fusion → score stages (the
 * priors) → each chunk credited with its document's other evidence → a few
 * sections per document → each hit widened to its whole section, so that
 * numbered steps arrive whole → optional rerank. No HTTP in here.
 */
export async function searchKb(
  deps: SearchDeps,
  query: SearchQuery,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<Source[]> {
  const tuning = { ...defaultRetrievalTuning, ...deps.tuning };
  const snapshot = await deps.reader.snapshot();
  const [followUp, allAliases] = await Promise.all([
    followUpDocuments(snapshot, query),
    snapshot.allAliases(),
  ]);
  const quotedAnywhere = [...namedDocuments(query, allAliases)];
  const lists = await gatherCandidates(
    deps,
    snapshot,
    query,
    tuning,
    options.signal,
    followUp,
    quotedAnywhere,
  );
  options.signal?.throwIfAborted();

  const fused = fuse(lists, tuning.fusion);
  const aliases = await snapshot.aliasesOf([...new Set(fused.map(({ item }) => item.docPath))]);
  // The quoted documents among the candidates: all of them, those the question's search missed
  // having been searched on their own.
  const quoted = new Set(quotedAnywhere.filter((path) => aliases.has(path)));
  const context: RankingContext = {
    question: query.question,
    intents: detectIntents(query.question),
    services: namedServices(query, deps.catalogue?.() ?? null),
    namedDocuments: quoted,
    documentsNamedByParts: documentsNamedByParts(query, aliases, quoted),
    followUpDocuments: new Set(followUp),
    tuning,
  };
  const weighed = addDocumentEvidence(
    applyScoreStages(fused, deps.stages ?? defaultScoreStages, context),
    tuning.documentEvidenceWeight,
    tuning.documentEvidenceChunks,
  );
  // Asked for a fix, each leading document's fix may fill its places even when BM25 missed it.
  const extras = context.intents.acting
    ? await actingSectionsOf(snapshot, weighed, query.topK, context.intents)
    : [];
  options.signal?.throwIfAborted();
  const ranked = preferWithinDocuments(weighed, sectionPreference(context), extras);
  const picked = pickSections(ranked, {
    maxPerDocument: tuning.maxPerDocument,
    count: query.topK * (deps.reranker ? tuning.rerankFactor : 1),
  });

  const sections = await widenToSections(snapshot, picked, tuning.maxSectionChars);
  const ordered = deps.reranker
    ? await rerankSections({ ...deps, reranker: deps.reranker }, query, sections, options.signal)
    : sections;
  return ordered.slice(0, query.topK).map((section, position) => ({ ...section, n: position + 1 }));
}

function fuse(lists: readonly CandidateList[], fusion: RetrievalTuning["fusion"]) {
  return fusion === "relative-score"
    ? fuseScores(lists, (candidate) => candidate.id)
    : fuseRankings(
        lists.map((list) => ({ items: list.items.map(({ item }) => item), weight: list.weight })),
        (candidate) => candidate.id,
      );
}
