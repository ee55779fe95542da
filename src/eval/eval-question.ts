import { z } from "zod";
import { KbError } from "../errors.js";

/** One line of a question file (JSON Lines). */
export const EvalQuestion = z.strictObject({
  id: z.string().min(1),
  question: z.string().min(1),
  ticket: z
    .strictObject({
      title: z.string().optional(),
      description: z.string().optional(),
      service: z.string().optional(),
    })
    .optional(),
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
  const questions: EvalQuestion[] = [];
  const problems: string[] = [];
  const ids = new Set<string>();
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      problems.push(`line ${index + 1}: not valid JSON`);
      return;
    }
    const parsed = EvalQuestion.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join(".") || "line"}: ${issue.message}`,
      );
      problems.push(`line ${index + 1}: ${issues.join("; ")}`);
      return;
    }
    if (ids.has(parsed.data.id)) problems.push(`line ${index + 1}: duplicate id ${parsed.data.id}`);
    ids.add(parsed.data.id);
    questions.push(parsed.data);
  });
  if (problems.length > 0) {
    throw new KbError(
      "invalid_request",
      `Invalid question file ${source}:\n  ${problems.slice(0, 20).join("\n  ")}`,
    );
  }
  if (questions.length === 0)
    throw new KbError("invalid_request", `Question file ${source} has no questions`);
  return questions;
}
