import { en } from "zod/locales";
import * as z from "zod/mini";
import type { FieldProblem } from "../contract/field-problem.js";
import { KbError } from "../errors.js";

/**
 * zod's English messages for issues whose schema gives none. Passed to each parse: the
 * contract's schemas are zod/mini, which sets no messages of its own.
 */
const englishMessages = en().localeError;

/** Validate input with a zod schema; a failure is a 400 that names each bad field. */
export function parseInput<Schema extends z.core.$ZodType>(
  schema: Schema,
  input: unknown,
): z.infer<Schema> {
  const parsed = z.safeParse(schema, input, { error: englishMessages });
  if (parsed.success) return parsed.data;
  const problems: FieldProblem[] = parsed.error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({
          field: [...issue.path, key].join("."),
          message: "is not a known field",
        }))
      : [{ field: issue.path.join(".") || "(body)", message: issue.message }],
  );
  throw new KbError(
    "invalid_request",
    `Invalid request: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join("; ")}`,
    { details: problems },
  );
}

export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "")
    throw new KbError("invalid_request", "Invalid request: the body is empty; send a JSON object");
  try {
    return JSON.parse(text);
  } catch {
    throw new KbError("invalid_request", "Invalid request: the body is not valid JSON");
  }
}

/**
 * Query parameters as the JSON body shape, for GET forms (browser EventSource
 * cannot POST): `question` or `q`, `topK`, repeatable or comma-separated
 * `kind`, `services` and `tags`, and `ticket` as JSON.
 */
export function queryToAskInput(url: URL): Record<string, unknown> {
  const parameters = url.searchParams;
  const input: Record<string, unknown> = {};
  const question = parameters.get("question") ?? parameters.get("q");
  if (question !== null) input.question = question;
  const topK = parameters.get("topK");
  if (topK !== null) input.topK = /^\d+$/.test(topK) ? Number(topK) : topK;
  const filters: Record<string, string[]> = {};
  for (const name of ["kind", "services", "tags"]) {
    const values = parameters
      .getAll(name)
      .flatMap((value) => value.split(","))
      .map((value) => value.trim());
    if (values.some((value) => value !== ""))
      filters[name] = values.filter((value) => value !== "");
  }
  if (Object.keys(filters).length > 0) input.filters = filters;
  const ticket = parameters.get("ticket");
  if (ticket !== null) {
    try {
      input.ticket = JSON.parse(ticket);
    } catch {
      throw new KbError("invalid_request", "Invalid request: ticket: must be a JSON object");
    }
  }
  return input;
}
