/** Why the model stopped, in our words; the answer stream adds reasons of its own. */
export type ChatFinishReason = "stop" | "length" | "content_filter";

export interface ChatTokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** A function the model asked to have called; `arguments` is the model's JSON text, unchecked. */
export interface ChatToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * What streaming a chat completion yields: text as it comes, then one `finish`. Asked with
 * tools, a model that calls some ends with `toolCalls` listing them (else `[]`).
 */
export type ChatStreamPart =
  | { type: "text"; text: string }
  | {
      type: "finish";
      finishReason: ChatFinishReason;
      usage: ChatTokenUsage | null;
      toolCalls?: ChatToolCall[];
    };
