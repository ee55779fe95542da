import { plainTextOf } from "../markdown/plain-text-of.js";

/**
 * The first words of a section as plain text, for a list of sources: markdown
 * syntax removed, code and identifiers as written, cut at a word after
 * `maxChars` characters.
 */
export function snippetOf(markdown: string, maxChars = 240): string {
  const plain = plainTextOf(markdown, maxChars);
  if (plain.length <= maxChars) return plain;
  const cut = plain.lastIndexOf(" ", maxChars);
  return `${plain.slice(0, cut > maxChars / 2 ? cut : maxChars).trimEnd()}…`;
}
