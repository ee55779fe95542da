import * as z from "zod/mini";
import { Coverage } from "./coverage.js";
import { SourceSummary } from "./source-summary.js";
import { WarningEvent } from "./warning-event.js";

/** The model id kb-answers answers as, in `GET /v1/models` and every chat response. */
export const chatModelId = "kb-answers";

const { type: _warning, ...warningFields } = WarningEvent.shape;

/** OpenAI's finish reasons; `not_covered` is reported as `stop` (its text says so). */
export const ChatFinishReason = z.enum(["stop", "length", "content_filter"]);

/** What kb-answers adds to OpenAI's response: the grounding, for clients that read it. */
const kbFields = {
  /** The numbered sources the answer's `[n]` refer to (sent on the first chunk when streaming). */
  kb_sources: z.optional(z.array(SourceSummary)),
  kb_coverage: z.optional(Coverage),
  /** Source numbers the answer cites (on the last chunk when streaming). */
  kb_citations: z.optional(z.array(z.number())),
  kb_mode: z.optional(z.enum(["llm", "extractive"])),
  kb_warnings: z.optional(z.array(z.object(warningFields))),
  kb_request_id: z.optional(z.string()),
};

const Usage = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  total_tokens: z.number(),
});

/** `POST /v1/chat/completions` with `stream` false or absent. */
export const ChatCompletion = z.object({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number(),
      message: z.object({ role: z.literal("assistant"), content: z.string(), refusal: z.null() }),
      finish_reason: ChatFinishReason,
      logprobs: z.null(),
    }),
  ),
  usage: z.optional(Usage),
  ...kbFields,
});
export type ChatCompletion = z.infer<typeof ChatCompletion>;

/** One `data:` line of `POST /v1/chat/completions` with `stream: true`; `data: [DONE]` ends it. */
export const ChatCompletionChunk = z.object({
  id: z.string(),
  object: z.literal("chat.completion.chunk"),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number(),
      delta: z.object({
        role: z.optional(z.literal("assistant")),
        content: z.optional(z.string()),
      }),
      finish_reason: z.nullable(ChatFinishReason),
    }),
  ),
  usage: z.optional(z.nullable(Usage)),
  ...kbFields,
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunk>;

/** `GET /v1/models`. */
export const ModelList = z.object({
  object: z.literal("list"),
  data: z.array(
    z.object({
      id: z.string(),
      object: z.literal("model"),
      created: z.number(),
      owned_by: z.string(),
    }),
  ),
});
export type ModelList = z.infer<typeof ModelList>;
