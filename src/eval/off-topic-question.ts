import { z } from "zod";
import { EvalTicket } from "./eval-question.js";
import { parseJsonLines } from "./parse-json-lines.js";

/** One line of the off-topic file: a question the knowledge base does not answer. */
export const OffTopicQuestion = z.strictObject({
  id: z.string().min(1),
  question: z.string().min(1),
  /** Asked about this ticket ("is this urgent?"): the ticket is part of what is not covered. */
  ticket: EvalTicket.optional(),
});
export type OffTopicQuestion = z.infer<typeof OffTopicQuestion>;

/** Parse a JSON Lines file of off-topic questions; a bad line is an error naming it. */
export function parseOffTopicFile(text: string, source: string): OffTopicQuestion[] {
  return parseJsonLines(text, source, OffTopicQuestion);
}
