import type { Embedder } from "../embed/embedder.js";
import type { Logger } from "../logger.js";
import type { ChunkSummary } from "../store/index-rows.js";
import type { KbReader } from "../store/kb-reader.js";
import { identifierWords } from "../text/identifier-words.js";
import { detectIntents, type QuestionIntents } from "../text/question-intents.js";
import { addDocumentEvidence } from "./add-document-evidence.js";
import { buildSearchText } from "./build-search-text.js";
import { fuseRankings } from "./fuse-rankings.js";
import { fuseScores } from "./fuse-scores.js";
import { intentBoost } from "./intent-boost.js";
import { overviewWeight } from "./overview-weight.js";
import { preferWithinDocuments } from "./prefer-within-documents.js";
import type { QueryExpander } from "./query-expander.js";
import type { Reranker } from "./reranker.js";
import type { SearchQuery } from "./search-query.js";
import { sectionPrior } from "./section-prior.js";
import type { Source } from "./source.js";
import { widenToSections } from "./widen-to-sections.js";

export interface RetrievalTuning {
  /**
   * How the rankings combine: `relative-score` (each list's scores over its best, weighted sum) or
   * `reciprocal-rank` (weighted RRF, k 60). Default `relative-score`: ranks throw away how far
   * ahead the best BM25 hit is, so any ×1.1 prior overturned clear leads (eval recall@1: kb
   * 0.918 → 0.929, corpus 0.800 → 0.855).
   */
  fusion: "relative-score" | "reciprocal-rank";
  /**
   * Share of a document's other best chunks' scores added to each of its chunks, 0 off. Default 0.2
   * (eval, recall@1 kb / corpus: off 0.929 / 0.855, 0.1 0.929 / 0.873, 0.2 0.939 / 0.891, 0.3 0.929 / 0.909).
   */
  documentEvidenceWeight: number;
  /** How many of the document's other chunks count as evidence. Default 1 (2 and 4 scored the same or lower). */
  documentEvidenceChunks: number;
  /** Weight of the full-text (BM25) ranking in the fusion. Default 1. */
  fullTextWeight: number;
  /**
   * Weight of the vector ranking; 0 skips the vector query. Default 0, measured with the
   * offline embedder (`npm run eval`): its lexical vectors only add noise to BM25, and
   * recall@1 rose from 0.878 to 0.929 (kb) and 0.600 to 0.764 (corpus) without them.
   * Settings give real embedding models 1 (VECTOR_WEIGHT).
   */
  vectorWeight: number;
  /** Candidates fetched from each ranking, as a multiple of topK (at least 10). Default 3: BM25 takes longer the more it returns (7 ms for 10, 9 ms for 20 at 100k chunks), and 2, 3 or 4 scored the same in the eval. */
  candidateFactor: number;
  /** Most chunks one document may contribute. Default 2. */
  maxPerDocument: number;
  /** Score multiplier for chunks of the service named in the ticket. Default 1.3. */
  ticketServiceBoost: number;
  /** Score multiplier for sections that serve the question's intent (steps for "how do I"). Default 1.1 (eval: 1.0, 1.1, 1.15, 1.25 tried). */
  intentBoost: number;
  /**
   * Score multiplier for incident writeups when the question asks for steps and not for history:
   * a writeup tells what was done once, a runbook what to do. Default 0.8 (eval, kb recall@1:
   * 1 0.939, 0.9 0.939, 0.85 0.949, 0.8 0.949, 0.7 0.949; corpus unchanged).
   */
  incidentWeightForSteps: number;
  /**
   * Score multiplier for a folder's README or index page, an overview that links the specific
   * runbooks. Default 0.8 (eval, corpus recall@1: 1 and 0.9 0.927, 0.8 and 0.7 0.945; kb has none).
   */
  overviewPageWeight: number;
  /** Score multiplier for link-list sections (Related runbooks, See also). Default 0.6; the eval's document-level figures are unchanged by it, the sections shown are better. */
  navigationSectionWeight: number;
  /** Score multiplier for escalation/contact sections unless the question is about escalating. Default 0.8. */
  escalationSectionWeight: number;
  /**
   * Weight of the full-text ranking for the query expansion's terms, a second list next to the
   * question's own. Default 0.5: expansion terms are a model's guess, so they may add candidates
   * and reinforce, but never outvote what the question itself matched.
   */
  expansionWeight: number;
  /** With a reranker, sections handed to it as a multiple of topK. Default 3. */
  rerankFactor: number;
  /** Upper bound on a joined section's text. Characters, default 6000. */
  maxSectionChars: number;
  /** IVF partitions probed per vector query once the table has a vector index. Default 20. */
  vectorProbes: number;
}

export const defaultRetrievalTuning: RetrievalTuning = {
  fusion: "relative-score",
  documentEvidenceWeight: 0.2,
  documentEvidenceChunks: 1,
  fullTextWeight: 1,
  vectorWeight: 0,
  candidateFactor: 3,
  maxPerDocument: 2,
  ticketServiceBoost: 1.3,
  intentBoost: 1.1,
  incidentWeightForSteps: 0.8,
  overviewPageWeight: 0.8,
  maxSectionChars: 6000,
  rerankFactor: 3,
  expansionWeight: 0.5,
  navigationSectionWeight: 0.6,
  escalationSectionWeight: 0.8,
  vectorProbes: 20,
};

export interface SearchDeps {
  reader: KbReader;
  embedder: Embedder;
  tuning?: Partial<RetrievalTuning>;
  /** Optional second stage: reorders the best sections. A failure falls back to the fused order. */
  reranker?: Reranker | undefined;
  /** Optional: extra search terms from a chat model, searched at `expansionWeight`. A failure searches without them. */
  queryExpander?: QueryExpander | undefined;
  /** Told when the reranker or the query expansion fails. */
  logger?: Logger | undefined;
}

/**
 * Hybrid retrieval: LanceDB vector search and full-text search (plus, when
 * configured, a full-text search of the query expansion's terms) with the
 * filters pushed into both, fused by relative score, section and document
 * priors applied, each chunk credited with its document's other evidence, a
 * few sections per document, and each hit widened to its whole section so
 * that numbered steps arrive whole. No HTTP in here.
 */
export async function searchKb(
  deps: SearchDeps,
  query: SearchQuery,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<Source[]> {
  const tuning = { ...defaultRetrievalTuning, ...deps.tuning };
  const snapshot = await deps.reader.snapshot();
  const searchText = buildSearchText(query);
  const filters = query.filters;
  // Enough candidates that the per-document and per-section limits still leave topK.
  const limit = Math.max(10, query.topK * tuning.candidateFactor);

  const vectorSearch = async () => {
    if (tuning.vectorWeight === 0) return [];
    const [queryVector] = await deps.embedder.embed([searchText], { signal: options.signal });
    return snapshot.nearestVectors(queryVector as Float32Array, {
      filters,
      limit,
      probes: tuning.vectorProbes,
    });
  };
  // The question's own search runs while the model thinks; the expansion's search follows it.
  const expansionSearch = async () => {
    const terms = await expandQuery(deps, query, options.signal);
    return terms.length === 0
      ? []
      : snapshot.fullTextCandidates(fullTextTerms(terms.join("\n")), { filters, limit });
  };
  const [vectorHits, textHits, expansionHits] = await Promise.all([
    vectorSearch(),
    snapshot.fullTextCandidates(fullTextTerms(searchText), { filters, limit }),
    expansionSearch(),
  ]);
  options.signal?.throwIfAborted();

  const preferredService = query.ticket?.service?.toLowerCase();
  const intents = detectIntents(query.question);
  const lists = [
    { items: textHits, weight: tuning.fullTextWeight },
    { items: vectorHits, weight: tuning.vectorWeight },
    { items: expansionHits, weight: tuning.expansionWeight },
  ];
  const merged =
    tuning.fusion === "relative-score"
      ? fuseScores(lists, (candidate) => candidate.id)
      : fuseRankings(
          lists.map((list) => ({ items: list.items.map(({ item }) => item), weight: list.weight })),
          (candidate) => candidate.id,
        );
  const fused = merged.map(({ item, score }) => {
    const serviceBoost =
      preferredService &&
      item.services.some((service) => service.toLowerCase() === preferredService)
        ? tuning.ticketServiceBoost
        : 1;
    const prior = sectionPrior(query.question, item.headingPath, {
      navigation: tuning.navigationSectionWeight,
      escalation: tuning.escalationSectionWeight,
    });
    return {
      item,
      score:
        score *
        serviceBoost *
        prior *
        intentBoost(intents, item, tuning.intentBoost) *
        incidentWeight(intents, item, tuning.incidentWeightForSteps) *
        overviewWeight(item.docPath, tuning.overviewPageWeight),
    };
  });
  const ranked = preferWithinDocuments(
    addDocumentEvidence(fused, tuning.documentEvidenceWeight, tuning.documentEvidenceChunks),
    (item) => intentBoost(intents, item, tuning.intentBoost),
  );

  const perDocument = new Map<string, number>();
  const pickedSections = new Set<string>();
  const picked: { item: ChunkSummary; score: number }[] = [];
  for (const entry of ranked) {
    // A second hit in a section already picked adds nothing: the whole section is returned.
    const section = sectionKey(entry.item);
    if (pickedSections.has(section)) continue;
    const count = perDocument.get(entry.item.docPath) ?? 0;
    if (count >= tuning.maxPerDocument) continue;
    perDocument.set(entry.item.docPath, count + 1);
    pickedSections.add(section);
    picked.push(entry);
    if (picked.length >= query.topK * (deps.reranker ? tuning.rerankFactor : 1)) break;
  }

  const sections = await widenToSections(snapshot, picked, tuning.maxSectionChars);
  const ordered = deps.reranker
    ? await rerankSections(deps, query, sections, options.signal)
    : sections;
  return ordered.slice(0, query.topK).map((section, position) => ({ ...section, n: position + 1 }));
}

/** The expansion's terms, or none when there is no expander or it fails (logged; the search goes on without them). */
async function expandQuery(
  deps: SearchDeps,
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

/** Reorder sections by the reranker's scores; on failure keep the fused order and say so. */
async function rerankSections<T extends Omit<Source, "n">>(
  deps: SearchDeps,
  query: SearchQuery,
  sections: T[],
  signal: AbortSignal | undefined,
): Promise<T[]> {
  const reranker = deps.reranker as Reranker;
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

/**
 * Plain words only: user text must never be read as query syntax. A CamelCase
 * identifier (`KubePodCrashLooping`, `CrashLoopBackOff`) also searches for its
 * words, since documents write them as words in titles and prose.
 */
export function fullTextTerms(text: string): string {
  const words = text
    // When it happened is an intent (past incidents), not a term: "yesterday morning" in a
    // writeup's summary must not outrank the service the question names.
    .replace(relativeTimeWords, " ")
    .replace(/[^\p{L}\p{N}_]+/gu, " ")
    .trim()
    .slice(0, 1000);
  const parts = identifierWords(words);
  return parts.length > 0 ? `${words} ${parts.join(" ")}` : words;
}

const relativeTimeWords =
  /\b(?:(?:this|last|yesterday)\s+(?:morning|afternoon|evening|night|week(?:end)?|month)|yesterday|today|tonight|tomorrow)\b/gi;

function incidentWeight(intents: QuestionIntents, item: ChunkSummary, weight: number): number {
  return intents.procedure && !intents.history && item.kind === "incident" ? weight : 1;
}

function sectionKey(candidate: ChunkSummary): string {
  return `${candidate.docPath}\u0001${candidate.headingPath.join("\u0000")}`;
}
