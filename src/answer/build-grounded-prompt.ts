import { randomBytes } from "node:crypto";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { Prompt } from "../prompts/prompt.js";
import { renderPrompt } from "../prompts/render-prompt.js";
import type { SearchQuery } from "../retrieval/search-query.js";
import type { Source } from "../retrieval/source.js";

/**
 * Each source opens with a line carrying a code made afresh for every request, so text inside
 * a source (a KB file, a pasted ticket) cannot forge a source header: it cannot know the code.
 * The system prompt (`src/prompts/ask.md`, or the KB's override) says so with `{{boundary}}`.
 */

/** Sources are trimmed to this many characters in all, best first. */
const maxSourceChars = 12_000;
/** The ticket is data like the sources, and bounded like them. Characters. */
const maxTicketChars = 6_000;
/** No single ticket field (a pasted log, a long description) takes more than this. Characters. */
const maxTicketFieldChars = 2_500;

export function buildGroundedPrompt(
  query: SearchQuery,
  sources: readonly Source[],
  prompt: Prompt,
  boundary: string = randomBytes(9).toString("hex"),
): ChatCompletionMessageParam[] {
  let budget = maxSourceChars;
  const blocks: string[] = [];
  for (const source of sources) {
    const heading = [source.title, ...source.headingPath].join(" › ");
    const text = source.text.slice(0, Math.max(0, budget));
    budget -= text.length;
    const body = neutralise(`${heading} (${source.path}, ${source.kind})\n${text}`, boundary);
    blocks.push(`=== source ${source.n} ${boundary} ===\n${body}`);
    if (budget <= 0) break;
  }
  const parts = [`<sources>\n${blocks.join("\n\n")}\n</sources>`];
  if (query.ticket) {
    parts.push(`<ticket>\n${neutralise(boundedTicket(query.ticket), boundary)}\n</ticket>`);
  }
  parts.push(`Question: ${query.question}`);
  return [
    { role: "system", content: renderPrompt(prompt, { boundary }) },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/** The ticket as JSON, each long field cut (logs keep their end, where the failure usually is). */
function boundedTicket(whole: NonNullable<SearchQuery["ticket"]>): string {
  // The conversation and attachments go in their own block, fitted to the context (withTicketThread).
  const { comments: _comments, attachments: _attachments, ...ticket } = whole;
  const cut = (text: string, keepEnd = false) =>
    text.length <= maxTicketFieldChars
      ? text
      : keepEnd
        ? `…${text.slice(-maxTicketFieldChars)}`
        : `${text.slice(0, maxTicketFieldChars)}…`;
  const fields = ticket.fields
    ? Object.fromEntries(Object.entries(ticket.fields).map(([key, value]) => [key, cut(value)]))
    : undefined;
  const bounded = {
    ...ticket,
    ...(ticket.description ? { description: cut(ticket.description) } : {}),
    ...(ticket.logs ? { logs: cut(ticket.logs, true) } : {}),
    ...(fields ? { fields } : {}),
  };
  const json = JSON.stringify(bounded, null, 2);
  return json.length <= maxTicketChars ? json : `${json.slice(0, maxTicketChars)}…`;
}

/** Data must not close its own block, speak as the user, or carry this request's code. */
function neutralise(text: string, boundary: string): string {
  return text
    .replace(/<\/?(sources|ticket)>/gi, (tag) => tag.replace("<", "‹"))
    .replaceAll(boundary, "…");
}
