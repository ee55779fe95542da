import { answerQuestion } from "../answer/answer-question.js";
import type { Coverage } from "../contract/coverage.js";
import type { FinishReason } from "../contract/done-event.js";
import type { SourceSummary } from "../contract/source-summary.js";
import type { Logger } from "../logger.js";
import { createPromptSource } from "../prompts/prompt-source.js";
import { shippedPromptsDir } from "../prompts/shipped-prompts-dir.js";
import type { SearchDeps } from "../retrieval/search-kb.js";
import type { SearchQuery } from "../retrieval/search-query.js";

/** An answer as a client receives it, joined: what the eval scores. */
export interface CollectedAnswer {
  coverage: Coverage;
  sources: SourceSummary[];
  /** Every `delta` text, in order. */
  text: string;
  finishReason: FinishReason | undefined;
}

/** Nothing the eval needs to see: answer failures arrive as an `error` event, which it scores as an empty answer. */
const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Runs the server's answer path with no chat model (the extractive answer) and joins what it streams. */
export async function collectAnswer(
  deps: SearchDeps,
  query: SearchQuery,
): Promise<CollectedAnswer> {
  const answer: CollectedAnswer = {
    coverage: "none",
    sources: [],
    text: "",
    finishReason: undefined,
  };
  // No model answers here, so the ask prompt is never read: the shipped files do.
  const prompts = createPromptSource({
    shippedDir: shippedPromptsDir,
    logger: silentLogger,
    watch: false,
  });
  const stream = answerQuestion(
    { ...deps, chat: undefined, prompts, logger: silentLogger },
    query,
    {
      requestId: "eval",
    },
  );
  for await (const event of stream) {
    if (event.type === "sources") {
      answer.coverage = event.coverage;
      answer.sources = event.sources;
    } else if (event.type === "delta") answer.text += event.text;
    else if (event.type === "done") answer.finishReason = event.finishReason;
  }
  return answer;
}
