import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { Ticket } from "../contract/ticket.js";
import type { ChatModel } from "../model/chat-model.js";
import { estimateTokens, fitTicketThread } from "./fit-ticket-thread.js";

/** When CHAT_CONTEXT_TOKENS is not given (tests, tools): a common 8k window. */
export const defaultContextTokens = 8_192;
/** Kept back for the estimate's error and the messages' own overhead. Tokens. */
const safetyTokens = 64;

/**
 * The prompt with the ticket's conversation and attachments in a `<thread>`
 * block before its last paragraph (the question or the request), cut to what
 * the model's context leaves after everything else and the answer's own
 * tokens (`fitTicketThread` says what it left out). Unchanged when the ticket
 * has no thread.
 */
export function withTicketThread(
  messages: readonly ChatCompletionMessageParam[],
  ticket: Ticket | undefined,
  chat: Pick<ChatModel, "maxTokens" | "contextTokens">,
  audience: "internal" | "reporter" = "internal",
): ChatCompletionMessageParam[] {
  if (!ticket?.comments?.length && !ticket?.attachments?.length) return [...messages];
  const used = messages.reduce(
    (sum, message) =>
      sum + estimateTokens(typeof message.content === "string" ? message.content : ""),
    0,
  );
  const budget =
    (chat.contextTokens ?? defaultContextTokens) - used - chat.maxTokens - safetyTokens;
  const { text } = fitTicketThread(ticket, Math.max(0, budget), audience);
  if (text === "") return [...messages];
  const last = messages.length - 1;
  return messages.map((message, position) => {
    if (position !== last || message.role !== "user" || typeof message.content !== "string")
      return message;
    const paragraphs = message.content.split("\n\n");
    const closing = paragraphs.pop() ?? "";
    const block = `<thread>\n${text.replace(/<\/?(sources|ticket|thread|triage)>/gi, (tag) => tag.replace("<", "‹"))}\n</thread>`;
    return { ...message, content: [...paragraphs, block, closing].join("\n\n") };
  });
}
