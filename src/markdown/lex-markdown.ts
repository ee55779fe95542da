import { Lexer, type Token, type Tokens } from "marked";
import { limitNesting } from "./limit-nesting.js";
import { plainInlineText } from "./plain-inline-text.js";

/**
 * Block-level tokens only. Chunking needs blocks and their raw text, not
 * inline markup, and skipping marked's inline pass makes lexing about 2.5x
 * faster on runbooks. Headings get their inline pass on demand.
 */
export function lexBlocks(markdown: string): Token[] {
  return new Lexer().blockTokens(limitNesting(markdown.replace(/\r\n?/g, "\n")), []);
}

/**
 * Every token, inline ones included, as a renderer needs them; the one way this
 * codebase fully lexes markdown, so nesting limits always apply.
 */
export function lexMarkdown(markdown: string): Token[] {
  return new Lexer({ gfm: true }).lex(limitNesting(markdown.replace(/\r\n?/g, "\n")));
}

/** A heading's text without markdown: `` Check `kubectl` **now** `` becomes `Check kubectl now`. */
export function headingText(heading: Tokens.Heading): string {
  return plainInlineText(new Lexer().inlineTokens(heading.text), heading.text);
}
