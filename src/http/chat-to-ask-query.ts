import type { ChatMessage } from "../contract/chat-completion-request.js";
import {
  type ConversationTurn,
  maxHistoryAnswerChars,
  maxHistoryCitations,
  maxHistoryTurns,
} from "../contract/conversation-turn.js";
import { KbError } from "../errors.js";

/** Longest question, as for /v1/ask. Characters. */
const maxQuestionChars = 4_000;
/** A section id inside a `/v1/sections/<id>` link, as the sources line writes them. */
const sectionLink = /\/v1\/sections\/([0-9a-f]{24}(?:-\d+)?)/g;

/**
 * Chat messages as an ask: the last user message is the question; each earlier
 * user message and the assistant messages after it are a previous turn, the
 * sections its answer links to its citations. System and developer messages
 * are ignored: the grounded prompt is ours. The oldest turns beyond the
 * history's limit are dropped, and long ones cut, since a chat client sends
 * the whole conversation every time. A question over 4,000 characters is read
 * by its last 4,000.
 */
export function chatToAskQuery(messages: readonly ChatMessage[]): {
  question: string;
  history: ConversationTurn[];
} {
  const lastUser = messages.findLastIndex((message) => message.role === "user");
  if (lastUser === -1) throw invalid("messages", "must include a user message");
  // A longer message (a whole prompt, from a client that grounds its own) is read by its end,
  // where prompts put the question.
  const question = textOf(messages[lastUser] as ChatMessage)
    .trim()
    .slice(-maxQuestionChars)
    .trim();
  const field = `messages.${lastUser}.content`;
  if (question === "") throw invalid(field, "is required");

  const turns: { question: string; answer: string }[] = [];
  for (const message of messages.slice(0, lastUser)) {
    const text = textOf(message).trim();
    if (message.role === "user" && text !== "") turns.push({ question: text, answer: "" });
    else if (message.role === "assistant" && turns.length > 0) {
      const turn = turns.at(-1) as { answer: string };
      turn.answer = turn.answer ? `${turn.answer}\n\n${text}` : text;
    }
  }
  const history = turns.slice(-maxHistoryTurns).map(({ question: asked, answer }) => {
    const citations = [
      ...new Set([...answer.matchAll(sectionLink)].map((match) => match[1] as string)),
    ];
    return {
      question: asked.slice(0, maxQuestionChars),
      answer: answer.slice(0, maxHistoryAnswerChars),
      ...(citations.length > 0 ? { citations: citations.slice(0, maxHistoryCitations) } : {}),
    };
  });
  return { question, history };
}

/** A message's text: the string, or its text parts joined (images and the like are not read). */
function textOf(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .filter((part) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text)
    .join("\n");
}

function invalid(field: string, message: string): KbError {
  return new KbError("invalid_request", `Invalid request: ${field}: ${message}`, {
    details: [{ field, message }],
  });
}
