import { parseJsonOrUndefined } from "../text/parse-json.js";

/**
 * The JSON object in a model's reply. Models wrap JSON in code fences or a
 * sentence: take the outermost object. Undefined when there is none, for the
 * caller to report as a malformed reply.
 */
export function parseJsonObject(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start === -1 || end <= start) return undefined;
  return parseJsonOrUndefined(text.slice(start, end + 1));
}
