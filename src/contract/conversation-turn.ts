import * as z from "zod/mini";
import { boundedText } from "./bounded-text.js";

/** Most previous turns a request may carry: a follow-up leans on the last few, not a whole day's chat. */
export const maxHistoryTurns = 10;
/** Longest answer a previous turn may carry. Characters (an extractive answer is at most 1,800). */
export const maxHistoryAnswerChars = 8_000;
/** Most cited section ids per previous turn (an answer has at most 20 sources). */
export const maxHistoryCitations = 20;

/**
 * A previous question and the answer it got, oldest first in `history`: what a
 * follow-up such as "and how do I verify it?" refers to. `citations` are the
 * ids of the sections the answer cited (the `id` of its sources).
 */
export const ConversationTurn = z.strictObject({
  question: boundedText(4_000).check(z.minLength(1, "is required")),
  answer: boundedText(maxHistoryAnswerChars),
  citations: z.optional(
    z
      .array(boundedText(200))
      .check(z.maxLength(maxHistoryCitations, `must have at most ${maxHistoryCitations} ids`)),
  ),
});
export type ConversationTurn = z.infer<typeof ConversationTurn>;

export const ConversationHistory = z
  .array(ConversationTurn)
  .check(z.maxLength(maxHistoryTurns, `must have at most ${maxHistoryTurns} turns`));
