import type { Token, Tokens } from "marked";
import { lexMarkdown } from "../markdown/lex-markdown.js";

/**
 * Markdown to DOM nodes, for text that comes from the model, the knowledge
 * base or a ticket, none of which we trust. marked parses; we build every
 * node with createElement and textContent, never innerHTML, so raw HTML in
 * the text (`<img onerror>`, `<script>`) can only ever show up as text.
 */
export interface RenderOptions {
  /** Turns a citation `[n]` into a link; returns undefined for numbers that name no source. */
  citationLink?: (n: number) => HTMLElement | undefined;
  /** Labels the copy button of code blocks; the widget can translate it. */
  copyLabel?: string;
}

/** The URL schemes a link may use; anything else (javascript:, data:, relative paths) renders as text. */
const safeSchemes = new Set(["http:", "https:", "mailto:"]);

/** `[1]` or `[1, 3]`: how answers cite their numbered sources. */
const citationPattern = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

export function renderMarkdown(
  document: Document,
  markdown: string,
  options: RenderOptions = {},
): DocumentFragment {
  const fragment = document.createDocumentFragment();
  appendBlocks(fragment, lexMarkdown(markdown), { document, ...options });
  return fragment;
}

interface Context extends RenderOptions {
  document: Document;
}

function appendBlocks(parent: Node, tokens: readonly Token[], context: Context): void {
  for (const token of tokens) {
    const node = blockNode(token as Tokens.Generic, context);
    if (node) parent.appendChild(node);
  }
}

function blockNode(token: Tokens.Generic, context: Context): Node | undefined {
  const { document } = context;
  switch (token.type) {
    case "space":
    case "def":
      return undefined;
    case "heading": {
      // Answers live inside a page that has its own headings: keep them small and below h3.
      const level = Math.min(6, Math.max(4, (token as Tokens.Heading).depth + 2));
      return withInline(document.createElement(`h${level}`), token, context);
    }
    case "paragraph":
      return withInline(document.createElement("p"), token, context);
    case "text":
      // Block-level text appears inside tight list items.
      return token.tokens
        ? withInline(document.createElement("span"), token, context)
        : document.createTextNode(token.text ?? "");
    case "code":
      return codeBlock((token as Tokens.Code).text, (token as Tokens.Code).lang, context);
    case "blockquote": {
      const quote = document.createElement("blockquote");
      appendBlocks(quote, (token as Tokens.Blockquote).tokens, context);
      return quote;
    }
    case "list":
      return list(token as Tokens.List, context);
    case "table":
      return table(token as Tokens.Table, context);
    case "hr":
      return document.createElement("hr");
    default: {
      // html blocks and anything newer than this renderer: shown, never interpreted.
      const paragraph = document.createElement("p");
      paragraph.textContent = token.raw;
      return paragraph;
    }
  }
}

function withInline(element: HTMLElement, token: Tokens.Generic, context: Context): HTMLElement {
  appendInline(element, token.tokens ?? [], context);
  return element;
}

function list(token: Tokens.List, context: Context): HTMLElement {
  const element = context.document.createElement(token.ordered ? "ol" : "ul");
  if (token.ordered && typeof token.start === "number" && token.start !== 1) {
    element.setAttribute("start", String(token.start));
  }
  for (const item of token.items) {
    const listItem = context.document.createElement("li");
    appendBlocks(listItem, item.tokens, context);
    element.appendChild(listItem);
  }
  return element;
}

function table(token: Tokens.Table, context: Context): HTMLElement {
  const { document } = context;
  const wrapper = document.createElement("div");
  wrapper.className = "table";
  const element = document.createElement("table");
  const head = element.createTHead().insertRow();
  for (const cell of token.header) {
    const th = document.createElement("th");
    appendInline(th, cell.tokens, context);
    head.appendChild(th);
  }
  const body = element.createTBody();
  for (const row of token.rows) {
    const tr = body.insertRow();
    for (const cell of row) appendInline(tr.insertCell(), cell.tokens, context);
  }
  wrapper.appendChild(element);
  return wrapper;
}

function codeBlock(code: string, language: string | undefined, context: Context): HTMLElement {
  const { document } = context;
  const figure = document.createElement("div");
  figure.className = "code";
  const pre = document.createElement("pre");
  const element = document.createElement("code");
  element.textContent = code;
  if (language) element.dataset.lang = language.split(/\s/)[0] ?? "";
  pre.appendChild(element);
  const copy = document.createElement("button");
  copy.type = "button";
  copy.className = "copy";
  copy.textContent = context.copyLabel ?? "Copy";
  copy.setAttribute("aria-label", `${copy.textContent} code`);
  copy.addEventListener("click", () => copyText(copy, code));
  figure.append(pre, copy);
  return figure;
}

async function copyText(button: HTMLButtonElement, text: string): Promise<void> {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    // Clipboard access needs a secure context and permission; say so rather than fail silently.
    button.textContent = "Copy failed";
  }
  setTimeout(() => {
    button.textContent = label;
  }, 1500);
}

function appendInline(parent: Node, tokens: readonly Token[], context: Context): void {
  for (const token of tokens) {
    const node = inlineNode(token as Tokens.Generic, context);
    if (node) parent.appendChild(node);
  }
}

function inlineNode(token: Tokens.Generic, context: Context): Node | undefined {
  const { document } = context;
  switch (token.type) {
    case "text":
    case "escape":
      return token.tokens
        ? withInline(document.createElement("span"), token, context)
        : textWithCitations(token.text ?? "", context);
    case "strong":
      return withInline(document.createElement("strong"), token, context);
    case "em":
      return withInline(document.createElement("em"), token, context);
    case "del":
      return withInline(document.createElement("del"), token, context);
    case "codespan": {
      const code = document.createElement("code");
      code.textContent = (token as Tokens.Codespan).text;
      return code;
    }
    case "br":
      return document.createElement("br");
    case "link":
      return link(token as Tokens.Link, context);
    case "image":
      // Remote images would let text make the browser fetch anything: show the alt text.
      return document.createTextNode((token as Tokens.Image).text);
    default:
      // Inline html (`<img onerror=…>`) and unknown tokens: their source, as text.
      return document.createTextNode(token.raw);
  }
}

function link(token: Tokens.Link, context: Context): Node {
  const safeHref = safeUrl(token.href);
  if (!safeHref) {
    // Relative links point into the KB's folder layout, which the portal does not serve.
    return withInline(context.document.createElement("span"), token, context);
  }
  const anchor = context.document.createElement("a");
  anchor.href = safeHref;
  anchor.target = "_blank";
  anchor.rel = "noopener noreferrer nofollow";
  // Text that reads as one URL but leads to another would deceive: show where it goes.
  if (namesAnotherUrl(token.text, safeHref)) anchor.textContent = safeHref;
  else appendInline(anchor, token.tokens, context);
  return anchor;
}

/** Whether a link's text is itself a URL that differs from the link's target. */
function namesAnotherUrl(text: string, href: string): boolean {
  const shown = text.trim();
  if (!/^(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+$/i.test(shown)) return false;
  const claimed = safeUrl(/^www\./i.test(shown) ? `https://${shown}` : shown);
  const normalise = (url: string) => url.replace(/\/$/, "").toLowerCase();
  return claimed === undefined || normalise(claimed) !== normalise(href);
}

const entityPattern = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/gi;
const decodedEntities = new Map<string, string>();

/**
 * `&lt;` and `&copy;` as the characters they stand for. Each entity alone goes through
 * DOMParser, whose documents run nothing and load nothing, so no markup can come of it.
 */
function decodeEntities(text: string, document: Document): string {
  if (!text.includes("&")) return text;
  return text.replace(entityPattern, (entity) => {
    let decoded = decodedEntities.get(entity);
    if (decoded === undefined) {
      const view = document.defaultView;
      decoded = view
        ? (new view.DOMParser().parseFromString(entity, "text/html").body.textContent ?? entity)
        : entity;
      decodedEntities.set(entity, decoded);
    }
    return decoded;
  });
}

/** The URL when it is absolute and its scheme is harmless; undefined otherwise. */
export function safeUrl(href: string): string | undefined {
  try {
    const url = new URL(href);
    return safeSchemes.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Text with each `[n]` that names a known source turned into a link to it. */
function textWithCitations(raw: string, context: Context): Node {
  const text = decodeEntities(raw, context.document);
  if (!context.citationLink) return context.document.createTextNode(text);
  const fragment = context.document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(citationPattern)) {
    const numbers = (match[1] ?? "").split(",").map((part) => Number(part.trim()));
    const links = numbers.map((n) => context.citationLink?.(n));
    if (links.some((element) => element === undefined)) continue;
    fragment.append(text.slice(last, match.index));
    links.forEach((element, index) => {
      if (index > 0) fragment.append(" ");
      if (element) fragment.append(element);
    });
    last = match.index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}
