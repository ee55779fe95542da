/** Retrieval's knobs: each states its effect, default and the measurement that chose it. */
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
  /** Score multiplier for chunks of the service named in the ticket, and of its catalogue runbooks. Default 1.3. */
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
  /**
   * Score multiplier for chunks of a document whose alias the question quotes verbatim (an alert
   * name, an error string). Default 1.5 (eval recall@1: kb 0.949 → 0.959, corpus unchanged at 0.945).
   */
  namedDocumentBoost: number;
  /**
   * Score multiplier for chunks of a document whose joined alias (`KubeNodeNotReady`) the
   * question spells out word by word (`k8s node NotReady`). Default 1.3 (corpus alert runbooks
   * asked by their spelled-out names: first for 95 of 104 at 1, 103 at 1.3; 1.5 no better).
   */
  namedByPartsBoost: number;
  /**
   * Score multiplier for chunks of the documents a follow-up leans on (those the last answer
   * cited). Default 1.5, as for a named document: "verify it" names its document as surely.
   */
  followUpDocumentBoost: number;
  /**
   * Weight of a follow-up's full-text ranking within those documents, a list next to the
   * question's own. Default 1: it finds the section the follow-up asks for (Verify) in the
   * right runbook even when the whole-KB search ranks other runbooks' Verify sections first.
   */
  followUpWeight: number;
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
  /**
   * Weight of the ranking that searches the question with its shorthand spelled out
   * (`k8s pvc` also as `kubernetes persistent volume claim`), run only when the question
   * has some. Default 0.5: it reorders near ties but never outvotes the question's own words
   * (at 1 it cost a corpus question its rank 1, `npm run eval`).
   */
  longFormWeight: number;
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
  longFormWeight: 0.5,
  navigationSectionWeight: 0.6,
  escalationSectionWeight: 0.8,
  namedDocumentBoost: 1.5,
  namedByPartsBoost: 1.3,
  followUpDocumentBoost: 1.5,
  followUpWeight: 1,
  vectorProbes: 20,
};
