import { z } from "zod";
import { KbError } from "../errors.js";
import { parseJsonLines } from "./parse-json-lines.js";

/** The ticket a question is asked about: what shapes retrieval and the coverage call. */
export const EvalTicket = z.strictObject({
  title: z.string().optional(),
  description: z.string().optional(),
  service: z.string().optional(),
});

/** One line of a question file (JSON Lines). */
export const EvalQuestion = z.strictObject({
  id: z.string().min(1),
  question: z.string().min(1),
  ticket: EvalTicket.optional(),
  /** Document paths relative to the KB folder; a retrieved chunk of any of them is a hit. */
  gold: z.array(z.string().min(1)).min(1),
  /** Strings a correct answer contains, verbatim. */
  facts: z.array(z.string().min(1)).optional(),
  /** Used as the category. */
  kind: z.string().optional(),
});
export type EvalQuestion = z.infer<typeof EvalQuestion>;

/** Parse a JSON Lines question file; any bad line is an error naming its line number and problem. */
export function parseQuestionFile(text: string, source: string): EvalQuestion[] {
  const questions = parseJsonLines(text, source, EvalQuestion);
  if (questions.length === 0)
    throw new KbError("invalid_request", `Question file ${source} has no questions`);
  return questions;
}
