import { containsAsWords } from "../text/contains-as-words.js";
import type { SearchQuery } from "./search-query.js";

/** Shortest alias that counts when asked verbatim: shorter ones are words, not names. */
const minimumAliasLength = 4;

/**
 * The documents whose alias the question (or its ticket's title) quotes
 * verbatim, case aside (`KubePodCrashLooping`, `403 permission denied`): an
 * alert or error arrives by its exact name, the best evidence there is.
 */
export function namedDocuments(
  query: SearchQuery,
  aliases: ReadonlyMap<string, readonly string[]>,
): Set<string> {
  const asked = ` ${normaliseSpace(`${query.question} ${query.ticket?.title ?? ""}`)} `;
  const named = new Set<string>();
  for (const [path, names] of aliases) {
    const quoted = names.some((alias) => {
      const name = normaliseSpace(alias);
      return name.length >= minimumAliasLength && containsAsWords(asked, name);
    });
    if (quoted) named.add(path);
  }
  return named;
}

function normaliseSpace(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}
