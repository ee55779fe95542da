import OpenAI from "openai";
import type { ChatConfig } from "../config.js";
import type { ChatModel } from "./chat-model.js";
import { createNodeHttpFetch } from "./node-http-fetch.js";

/** Build the chat dependency from settings. Entry points call this; library code takes a ChatModel. */
export function createChatModel(config: ChatConfig): ChatModel {
  return {
    client: new OpenAI({
      apiKey: config.apiKey,
      baseURL: config.baseURL ?? null,
      maxRetries: config.maxRetries,
      timeout: config.timeoutMs,
      fetch: createNodeHttpFetch(),
    }),
    model: config.model,
    maxTokens: config.maxTokens,
    temperature: config.temperature,
    timeoutMs: config.timeoutMs,
    totalTimeoutMs: config.totalTimeoutMs,
    contextTokens: config.contextTokens,
  };
}
