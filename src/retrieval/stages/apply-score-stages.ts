import type { ChunkSummary } from "../../store/index-rows.js";
import type { RankingContext, ScoreStage } from "./score-stage.js";

/** Each candidate's score times every stage's multiplier, in the stages' order; the list keeps its order. */
export function applyScoreStages(
  scored: readonly { item: ChunkSummary; score: number }[],
  stages: readonly ScoreStage[],
  context: RankingContext,
): { item: ChunkSummary; score: number }[] {
  return scored.map(({ item, score }) => ({
    item,
    score: stages.reduce((total, stage) => total * stage(item, context), score),
  }));
}
