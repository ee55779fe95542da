import { z } from "zod";
import { KbError } from "../errors.js";

/** One line of the off-topic file: a question the knowledge base does not answer. */
export const OffTopicQuestion = z.strictObject({
  id: z.string().min(1),
  question: z.string().min(1),
});
export type OffTopicQuestion = z.infer<typeof OffTopicQuestion>;

/** Parse a JSON Lines file of off-topic questions; a bad line is an error naming it. */
export function parseOffTopicFile(text: string, source: string): OffTopicQuestion[] {
  const problems: string[] = [];
  const questions: OffTopicQuestion[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      problems.push(`line ${index + 1}: not valid JSON`);
      return;
    }
    const parsed = OffTopicQuestion.safeParse(raw);
    if (parsed.success) questions.push(parsed.data);
    else
      problems.push(
        `line ${index + 1}: ${parsed.error.issues.map((issue) => issue.message).join("; ")}`,
      );
  });
  if (problems.length > 0) {
    throw new KbError(
      "invalid_request",
      `Invalid question file ${source}:\n  ${problems.slice(0, 20).join("\n  ")}`,
    );
  }
  return questions;
}
