import type OpenAI from "openai";

/** The chat dependency: an openai SDK client (any OpenAI-compatible endpoint) and what to ask it for. */
export interface ChatModel {
  client: OpenAI;
  model: string;
  /** Upper bound on answer length. Tokens. */
  maxTokens: number;
  temperature: number;
  /** Deadline for one answer, first byte to last. Milliseconds. */
  timeoutMs: number;
}
