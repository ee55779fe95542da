/** `name` in `text` not as part of a longer word; both already lowercased. */
export function containsAsWords(text: string, name: string): boolean {
  // Most names looked for are absent: one scan answers those.
  if (!text.includes(name)) return false;
  return wordMatchesOf(text, name).next().done === false;
}

/**
 * English words that turn a phrase into its opposite when they come just before it:
 * "not urgent", "no data loss", "never down".
 */
const negations = new Set(["not", "no", "never", "without", "nothing", "isn't", "isnt", "hardly"]);

/**
 * `phrase` in `text` as words and not negated by either of the two words before it, so a
 * reporter's "not urgent but annoying" does not count as "urgent". Both already lowercased.
 */
export function assertsPhrase(text: string, phrase: string): boolean {
  for (const from of wordMatchesOf(text, phrase)) {
    const before = text
      .slice(Math.max(0, from - 40), from)
      .split(/[^\p{L}\p{N}']+/u)
      .filter((word) => word !== "")
      .slice(-2);
    if (!before.some((word) => negations.has(word))) return true;
  }
  return false;
}

/** Where `name` starts in `text` as whole words. */
function* wordMatchesOf(text: string, name: string): Generator<number> {
  if (name === "") return;
  let from = text.indexOf(name);
  while (from !== -1) {
    const before = text[from - 1] ?? " ";
    const after = text[from + name.length] ?? " ";
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) yield from;
    from = text.indexOf(name, from + 1);
  }
}
