import { plainTextOf } from "../markdown/plain-text-of.js";
import { rememberByText } from "../text/remember-by-text.js";

const defaultMaxChars = 240;
/** Snippets at the default length, for the sections answers cite most. */
const defaultSnippetOf = rememberByText((markdown) => cutSnippet(markdown, defaultMaxChars), 4096);

/**
 * The first words of a section as plain text, for a list of sources: markdown
 * syntax removed, code and identifiers as written, cut at a word after
 * `maxChars` characters.
 */
export function snippetOf(markdown: string, maxChars = defaultMaxChars): string {
  return maxChars === defaultMaxChars ? defaultSnippetOf(markdown) : cutSnippet(markdown, maxChars);
}

function cutSnippet(markdown: string, maxChars: number): string {
  const plain = plainTextOf(markdown, maxChars);
  if (plain.length <= maxChars) return plain;
  const cut = plain.lastIndexOf(" ", maxChars);
  return `${plain.slice(0, cut > maxChars / 2 ? cut : maxChars).trimEnd()}…`;
}
