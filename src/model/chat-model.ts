import type OpenAI from "openai";

/** The chat dependency: an openai SDK client (any OpenAI-compatible endpoint) and what to ask it for. */
export interface ChatModel {
  client: OpenAI;
  model: string;
  /** Upper bound on answer length. Tokens. */
  maxTokens: number;
  temperature: number;
  /** Longest silence of the upstream: before its first chunk (retries included) and between chunks. Milliseconds. */
  timeoutMs: number;
  /** Longest an answer may take in all, however steadily it streams. Milliseconds. */
  totalTimeoutMs: number;
  /** The model's context window the prompt must fit in (CHAT_CONTEXT_TOKENS). Tokens, default 8192. */
  contextTokens?: number | undefined;
  /**
   * How long a streamed answer's body is left unread after each piece of text, asked each
   * time (the server ties it to its write window, which grows with load); absent or 0 reads
   * every token as it comes. Milliseconds.
   */
  readPauseMs?: (() => number) | undefined;
}
