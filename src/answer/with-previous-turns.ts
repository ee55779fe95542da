import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { ConversationTurn } from "../contract/conversation-turn.js";

/** The model sees at most this many previous turns, the latest. */
const maxPromptTurns = 4;
/** A previous answer is cut to this in the prompt: what it said, not all of it. Characters. */
const maxPromptAnswerChars = 1_500;

/**
 * The prompt with the conversation's latest turns between the system message
 * and the question, as the user and assistant messages they were, so that
 * "verify it" reads as the model would read it in any chat. Bounded: the
 * sources, not the history, are what the answer stands on.
 */
export function withPreviousTurns(
  messages: readonly ChatCompletionMessageParam[],
  history: readonly ConversationTurn[] | undefined,
): ChatCompletionMessageParam[] {
  if (!history?.length) return [...messages];
  const turns = history.slice(-maxPromptTurns).flatMap((turn): ChatCompletionMessageParam[] => [
    { role: "user", content: turn.question },
    { role: "assistant", content: cut(turn.answer) },
  ]);
  const [system, ...rest] = messages;
  return system?.role === "system" ? [system, ...turns, ...rest] : [...turns, ...messages];
}

function cut(text: string): string {
  return text.length <= maxPromptAnswerChars ? text : `${text.slice(0, maxPromptAnswerChars)}…`;
}
