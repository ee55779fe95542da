/**
 * What pasted logs carry that names nothing: IP addresses (and ports),
 * timestamps and times of day (`14:05`, `9am`), UUIDs, hex ids (within a path,
 * even short ones) and long numbers. They match no runbook and would crowd out,
 * or outvote, the words that do.
 */
const logNoise = [
  /\b\d{4}-\d{2}-\d{2}(?:[T ][\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?)?\b/g,
  /\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\b/g,
  /\b\d{1,2}(?:am|pm)\b/gi,
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
  /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g,
  /\[?[0-9a-f:]*::[0-9a-f:]+\]?(?::\d{1,5})?/gi,
  /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi,
  /\b0x[0-9a-f]+\b/gi,
  // A hashed path's short hex parts (`@hashed/3f/a2/3fa2.git`): any length between a path's
  // slashes; `sso/2fa` at a path's end is a word.
  /(?<=[\w.]\/)(?=[0-9a-f]*\d)[0-9a-f]+(?=\/|\.+\w)/gi,
  /\b\d{5,}\b/g,
];

/** `text` with log noise replaced by spaces and runs of space collapsed. */
export function stripLogNoise(text: string): string {
  let stripped = text;
  for (const pattern of logNoise) stripped = stripped.replace(pattern, " ");
  return stripped.replace(/[ \t]+/g, " ").trim();
}
