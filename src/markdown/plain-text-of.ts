import type { Token, Tokens } from "marked";
import { lexMarkdown } from "./lex-markdown.js";

/** Lines of a code block kept: enough to recognise the command, not the whole script. */
const codeBlockLines = 3;

/** Tags that only format the text around them; placeholders such as `<pid>` are not among them. */
const inlineTags = new Set(
  "a abbr b cite code del em font i ins kbd mark q s samp small span strong sub sup tt u var".split(
    " ",
  ),
);
/** Tags that separate blocks: they become a space. */
const blockTags = new Set(
  "blockquote br dd details div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr img li ol p pre summary table tbody td tfoot th thead tr ul".split(
    " ",
  ),
);
const htmlTag = /<(\/?)([a-z][a-z0-9]*)\b[^<>]*?(\/?)>/gi;
const htmlComment = /<!--[\s\S]*?(-->|$)/g;

/**
 * Markdown as one line of plain text, read with marked's lexer so that only
 * markdown syntax goes: emphasis, heading and blockquote marks, table pipes,
 * link syntax (the link text stays), HTML formatting tags. Inline code and
 * whatever the author wrote (`pg_terminate_backend(<pid>)`) stay verbatim;
 * list numbers and bullets stay; a code block gives its first lines. Stops
 * soon after `maxChars`, so a long section costs no more than its start.
 */
export function plainTextOf(markdown: string, maxChars = Number.POSITIVE_INFINITY): string {
  const output = new PlainText(maxChars);
  const tokens = lexMarkdown(markdown);
  addBlocks(output, tokens);
  return output.text.trim();
}

class PlainText {
  text = "";
  constructor(private readonly maxChars: number) {}

  get full(): boolean {
    return this.text.length > this.maxChars;
  }

  /** Prose: white space of any kind reads as one space. */
  addProse(piece: string): void {
    this.append(piece.replace(/\s+/g, " "));
  }

  /** Code: kept as written, but on one line. */
  addCode(piece: string): void {
    this.append(piece.replace(/\n/g, " "));
  }

  space(): void {
    if (this.text !== "" && !this.text.endsWith(" ")) this.text += " ";
  }

  private append(piece: string): void {
    if (piece === "") return;
    this.text += this.text.endsWith(" ") || this.text === "" ? piece.replace(/^ /, "") : piece;
  }
}

function addBlocks(output: PlainText, tokens: readonly Token[]): void {
  for (const token of tokens) {
    if (output.full) return;
    addBlock(output, token);
  }
}

function addBlock(output: PlainText, token: Token): void {
  switch (token.type) {
    case "space":
    case "hr":
    case "def":
      return;
    case "code": {
      const lines = (token as Tokens.Code).text
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "")
        .slice(0, codeBlockLines);
      output.space();
      output.addCode(lines.join(" "));
      output.space();
      return;
    }
    case "list": {
      const list = token as Tokens.List;
      const start = typeof list.start === "number" ? list.start : 1;
      list.items.forEach((item, position) => {
        if (output.full) return;
        output.space();
        output.addProse(list.ordered ? `${start + position}. ` : "- ");
        addBlocks(output, item.tokens);
      });
      output.space();
      return;
    }
    case "table": {
      const table = token as Tokens.Table;
      for (const row of [table.header, ...table.rows]) {
        for (const cell of row) {
          if (output.full) return;
          output.space();
          addInline(output, cell.tokens);
        }
      }
      output.space();
      return;
    }
    case "html":
      output.space();
      addHtml(output, (token as Tokens.HTML).text);
      output.space();
      return;
    default:
      // Paragraphs, headings, blockquotes, the text of list items.
      output.space();
      if ("tokens" in token && Array.isArray(token.tokens)) {
        if (token.type === "blockquote") addBlocks(output, token.tokens);
        else addInline(output, token.tokens);
      } else if ("text" in token && typeof token.text === "string") {
        output.addProse(token.text);
      }
      output.space();
  }
}

function addInline(output: PlainText, tokens: readonly Token[]): void {
  for (const token of tokens) {
    if (output.full) return;
    switch (token.type) {
      case "codespan":
        output.addCode((token as Tokens.Codespan).text);
        break;
      case "html":
        addHtml(output, (token as Tokens.HTML).text);
        break;
      case "br":
        output.space();
        break;
      case "checkbox":
        break;
      case "image":
        output.addProse((token as Tokens.Image).text);
        break;
      default:
        if ("tokens" in token && Array.isArray(token.tokens) && token.tokens.length > 0) {
          addInline(output, token.tokens);
        } else if ("text" in token && typeof token.text === "string") {
          output.addProse(token.text);
        } else {
          output.addProse(token.raw);
        }
    }
  }
}

/** Formatting tags and comments go; anything else in angle brackets is the author's text. */
function addHtml(output: PlainText, html: string): void {
  const text = html.replace(htmlComment, " ").replace(htmlTag, (tag, _slash, name: string) => {
    const element = name.toLowerCase();
    if (inlineTags.has(element)) return "";
    if (blockTags.has(element)) return " ";
    return tag;
  });
  output.addProse(text);
}
