import * as z from "zod/mini";
import { boundedText } from "./bounded-text.js";

/** Most messages one chat request may carry; older turns past the history's limit are dropped, not refused. */
export const maxChatMessages = 100;

/** Content as OpenAI clients send it: a string, or parts of which only the text ones are read. */
const ChatContent = z.union([
  boundedText(20_000),
  z
    .array(
      z.looseObject({
        type: boundedText(50),
        text: z.optional(boundedText(20_000)),
      }),
    )
    .check(z.maxLength(50, "must have at most 50 parts")),
  z.null(),
]);

export const ChatMessage = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.optional(ChatContent),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/**
 * The body of `POST /v1/chat/completions`, as OpenAI's clients send it. Fields
 * this server has no use for (`temperature`, `user`, `stream_options`…) are
 * accepted and ignored, since clients send them unasked.
 */
export const ChatCompletionRequest = z.looseObject({
  /** Any id is answered by kb-answers; the response names `kb-answers`. */
  model: z.optional(boundedText(200)),
  messages: z
    .array(ChatMessage)
    .check(
      z.minLength(1, "must have at least one message"),
      z.maxLength(maxChatMessages, `must have at most ${maxChatMessages} messages`),
    ),
  stream: z.optional(z.nullable(z.boolean())),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;
