import type { ChunkSummary } from "../../store/index-rows.js";
import type { QuestionIntents } from "../../text/question-intents.js";
import type { NamedServices } from "../named-services.js";
import type { RetrievalTuning } from "../retrieval-tuning.js";

/** What every stage may read about the question being answered, worked out once per search. */
export interface RankingContext {
  question: string;
  intents: QuestionIntents;
  /** The services the ticket (or, with a catalogue, the question) names, and their runbooks. */
  services: NamedServices;
  /** Documents whose alias the question (or its ticket) quotes verbatim, by path. */
  namedDocuments: ReadonlySet<string>;
  /** Documents whose joined alias the question spells out word by word (`node not ready`), by path. */
  documentsNamedByParts: ReadonlySet<string>;
  /** Documents a follow-up leans on (what the last answer cited), by path; empty for a question on its own. */
  followUpDocuments: ReadonlySet<string>;
  tuning: RetrievalTuning;
}

/**
 * A prior on a candidate: the multiplier for its fused score, 1 for no
 * opinion. A new prior is a file exporting one stage and a line in
 * defaultScoreStages.
 */
export type ScoreStage = (candidate: ChunkSummary, context: RankingContext) => number;
