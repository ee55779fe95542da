/** A word with a lower-to-upper hump inside it (`KubePodCrashLooping`), or an upper-case run before one (`HTTPError`). */
const camelCaseWord = /\b\p{L}*\p{Ll}\p{Lu}[\p{L}\p{N}]*|\b\p{Lu}{2,}\p{Ll}[\p{L}\p{N}]*/gu;
/** Where such a word splits; an upper-case run splits before its last capital. */
const camelHump = /(\p{Ll}|\p{N})(?=\p{Lu})|(\p{Lu})(?=\p{Lu}\p{Ll})/gu;

/**
 * The words inside the CamelCase identifiers of `text`: `CrashLoopBackOff`
 * gives `Crash Loop Back Off`. The full-text tokenizer keeps such a name as one
 * token, while people and documents also write it as words.
 */
export function identifierWords(text: string): string[] {
  return (text.match(camelCaseWord) ?? []).map((word) => word.replace(camelHump, "$1$2 "));
}

/** A hump inside a word, an underscore, or letters and digits together: a name written as code. */
const identifierShape = /\p{Ll}\p{Lu}|\p{Lu}{2,}\p{Ll}|_|\p{L}\d|\d\p{L}/u;

/**
 * The names written as code in `text` (`KubePodCrashLooping`, `pg_stat_statements`,
 * `sev1`, `ERR_CONN_RESET`), lowercased, at least `minLength` characters, each once.
 */
export function identifiersIn(text: string, minLength: number): string[] {
  const tokens = text
    .split(/[\s,;:()[\]{}"'`<>=]+/)
    .map((token) => token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
    .filter((token) => token.length >= minLength && identifierShape.test(token))
    .map((token) => token.toLowerCase());
  return [...new Set(tokens)];
}
