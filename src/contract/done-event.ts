import * as z from "zod/mini";
import { ErrorCode } from "./error-code.js";

export const AnswerMode = z.enum(["llm", "extractive"]);
export type AnswerMode = z.infer<typeof AnswerMode>;

/**
 * `not_covered`: the knowledge base does not seem to hold the answer; nearest sections were shown
 * as such. `tool_limit`: the model kept calling tools past TOOL_MAX_STEPS and was stopped.
 */
export const FinishReason = z.enum([
  "stop",
  "length",
  "content_filter",
  "not_covered",
  "tool_limit",
]);
export type FinishReason = z.infer<typeof FinishReason>;

export const AnswerTimings = z.object({
  retrievalMs: z.number(),
  /** From request start to the first `delta`; null when none was sent. */
  firstTokenMs: z.nullable(z.number()),
  totalMs: z.number(),
});
export type AnswerTimings = z.infer<typeof AnswerTimings>;

export const TokenUsage = z.object({
  promptTokens: z.number(),
  completionTokens: z.number(),
  totalTokens: z.number(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

/** The model failed before writing anything, so the answer was extracted from the sources. */
export const AnswerFallback = z.object({
  /** What the model's failure would have been reported as. */
  code: ErrorCode,
});
export type AnswerFallback = z.infer<typeof AnswerFallback>;

/**
 * Last event of an answer that succeeded. `grounded` and `fallback` are always sent; they
 * are optional here only so that clients can read servers older than them.
 */
export const DoneEvent = z.object({
  type: z.literal("done"),
  requestId: z.string(),
  finishReason: FinishReason,
  /** `llm` when a model wrote the answer; `extractive` when none did (no model configured, not covered). */
  mode: AnswerMode,
  /** Source numbers cited in the answer; always a subset of those sent in `sources`. */
  citations: z.array(z.int()),
  /** True when the answer cites at least one source sent; false means nothing backs it. */
  grounded: z.optional(z.boolean()),
  /** Set when the model failed before writing and the answer was extracted instead; else null. */
  fallback: z.optional(z.nullable(AnswerFallback)),
  timings: AnswerTimings,
  /** The chat model that wrote the answer; null when `mode` is `extractive`. */
  model: z.nullable(z.string()),
  usage: z.nullable(TokenUsage),
  /** Version of the prompt the model answered; null when no model wrote the answer. */
  promptVersion: z.nullable(z.string()),
});
export type DoneEvent = z.infer<typeof DoneEvent>;
