/** Why the model stopped, in our words; the answer stream adds reasons of its own. */
export type ChatFinishReason = "stop" | "length" | "content_filter";

export interface ChatTokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** What streaming a chat completion yields: text as it comes, then one `finish`. */
export type ChatStreamPart =
  | { type: "text"; text: string }
  | { type: "finish"; finishReason: ChatFinishReason; usage: ChatTokenUsage | null };
