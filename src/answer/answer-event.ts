import type { ErrorCode } from "../errors.js";
import type { Coverage } from "../retrieval/assess-coverage.js";
import type { Source } from "../retrieval/source.js";

/** A source as the stream announces it: enough to show and link, not the whole section. */
export type SourceSummary = Omit<Source, "text"> & {
  /** The section's first words as plain text. */
  snippet: string;
};

export type AnswerMode = "llm" | "extractive";

/** `not_covered`: the knowledge base does not seem to hold the answer; nearest sections were shown as such. */
export type FinishReason = "stop" | "length" | "content_filter" | "not_covered";

export interface AnswerTimings {
  retrievalMs: number;
  /** From request start to the first `delta`; null when none was sent. */
  firstTokenMs: number | null;
  totalMs: number;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/**
 * The one internal answer stream. Transports (SSE, JSON) only encode it.
 * The union is open: later event types (tool calls, for one) add members.
 */
export type AnswerEvent =
  | { type: "sources"; requestId: string; coverage: Coverage; sources: SourceSummary[] }
  | { type: "delta"; text: string }
  | {
      type: "done";
      requestId: string;
      finishReason: FinishReason;
      mode: AnswerMode;
      /** Source numbers cited in the answer; always a subset of those sent in `sources`. */
      citations: number[];
      timings: AnswerTimings;
      model: string | null;
      usage: TokenUsage | null;
    }
  | { type: "error"; requestId: string; code: ErrorCode; message: string };
