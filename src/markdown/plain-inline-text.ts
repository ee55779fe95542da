import type { Token } from "marked";

/** Heading text without markdown: `` Check `kubectl` **now** `` becomes `Check kubectl now`. */
export function plainInlineText(tokens: readonly Token[], fallback: string): string {
  if (tokens.length === 0) return fallback.trim();
  let text = "";
  for (const token of tokens) {
    if ("tokens" in token && Array.isArray(token.tokens) && token.tokens.length > 0) {
      text += plainInlineText(token.tokens, "");
    } else if ("text" in token && typeof token.text === "string") {
      text += token.text;
    } else {
      text += token.raw;
    }
  }
  return text.replace(/\s+/g, " ").trim();
}
