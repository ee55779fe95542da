import { walkTokens } from "marked";
import { lexMarkdown } from "./lex-markdown.js";

/**
 * The runs of prose in markdown, as a renderer shows them: code blocks and code
 * spans left out, so `items[0]` in a command is never read as a citation.
 */
export function proseTexts(markdown: string): string[] {
  const texts: string[] = [];
  walkTokens(lexMarkdown(markdown), (token) => {
    // Text tokens with children are containers (tight list items); their children are visited too.
    if (token.type === "escape" || (token.type === "text" && !token.tokens?.length)) {
      texts.push(token.text);
    }
  });
  return texts;
}
