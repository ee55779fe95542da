import type { z } from "zod";
import { KbError } from "../errors.js";

/**
 * A JSON Lines file of records with an `id`, each checked by `schema`: every bad line (not
 * JSON, failing the schema, a repeated id) is named with its number in one error.
 */
export function parseJsonLines<Schema extends z.ZodType<{ id: string }>>(
  text: string,
  source: string,
  schema: Schema,
): z.infer<Schema>[] {
  const records: z.infer<Schema>[] = [];
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
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join(".") || "line"}: ${issue.message}`,
      );
      problems.push(`line ${index + 1}: ${issues.join("; ")}`);
      return;
    }
    if (ids.has(parsed.data.id)) problems.push(`line ${index + 1}: duplicate id ${parsed.data.id}`);
    ids.add(parsed.data.id);
    records.push(parsed.data);
  });
  if (problems.length > 0) {
    throw new KbError(
      "invalid_request",
      `Invalid question file ${source}:\n  ${problems.slice(0, 20).join("\n  ")}`,
    );
  }
  return records;
}
