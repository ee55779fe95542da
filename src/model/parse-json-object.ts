/**
 * The JSON object in a model's reply. Models wrap JSON in code fences or a
 * sentence: take the outermost object. Undefined when there is none, for the
 * caller to report as a malformed reply.
 */
export function parseJsonObject(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start === -1 || end <= start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
}
