/** Deepest blockquote nesting kept; deeper `>` markers on a line are dropped. */
const maxQuoteDepth = 8;
/** Widest indentation kept outside code fences, in columns (about twelve list levels). */
const maxIndent = 48;

const fence = /^\s{0,48}(?:>\s?)*(```|~~~)/;

/**
 * Flattens nesting no real document needs before marked sees it: marked recurses once per
 * level, so 3,000 nested `>` overflow the stack and 3,000 nested list items take minutes and
 * gigabytes. Lines inside code fences are left exactly as written.
 */
export function limitNesting(markdown: string): string {
  let inFence = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (fence.test(line)) {
        inFence = !inFence;
        return line;
      }
      if (inFence) return line;
      const quotes = /^(\s*>)+/.exec(line)?.[0] ?? "";
      const depth = (quotes.match(/>/g) ?? []).length;
      const unquoted =
        depth > maxQuoteDepth ? `${"> ".repeat(maxQuoteDepth)}${line.slice(quotes.length)}` : line;
      const indent = /^[ \t]*/.exec(unquoted)?.[0] ?? "";
      return indent.length > maxIndent
        ? `${" ".repeat(maxIndent)}${unquoted.slice(indent.length)}`
        : unquoted;
    })
    .join("\n");
}
