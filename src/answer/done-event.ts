import type {
  AnswerFallback,
  DoneEvent,
  FinishReason,
  TokenUsage,
} from "../contract/done-event.js";

/** Who wrote the answer when a model did: named in `done`, so the answer can be traced. */
export interface ModelWriter {
  model: string;
  usage: TokenUsage | null;
  promptVersion: string;
}

/** The `done` event of an answer or a draft: `mode` follows from whether a model wrote it. */
export function doneEvent(answer: {
  requestId: string;
  finishReason: FinishReason;
  citations: number[];
  writer: ModelWriter | null;
  fallback: AnswerFallback | null;
  timings: DoneEvent["timings"];
}): DoneEvent {
  const { writer } = answer;
  return {
    type: "done",
    requestId: answer.requestId,
    finishReason: answer.finishReason,
    mode: writer ? "llm" : "extractive",
    citations: answer.citations,
    grounded: answer.citations.length > 0,
    fallback: answer.fallback,
    timings: answer.timings,
    model: writer?.model ?? null,
    usage: writer?.usage ?? null,
    promptVersion: writer?.promptVersion ?? null,
  };
}
