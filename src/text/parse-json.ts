/** `text` as JSON, or undefined when it is not JSON: for input a schema then judges. */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
