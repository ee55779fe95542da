import type { SearchQuery } from "./search-query.js";

/** Lines of pasted logs that carry the error: what an engineer would grep for. */
const errorLine =
  /\b(error|err|exception|fatal|fail(ed|ure)?|panic|timeout|timed out|refused|denied|unauthori[sz]ed|forbidden|oom|killed|no space|reserved|[45]\d\d)\b/i;

const maxLogLines = 8;
/** The newest comments of a ticket's thread searched with it, each cut. */
const maxThreadComments = 2;
const maxThreadCommentChars = 300;
const maxChars = 2000;

/**
 * The text retrieval searches with: the question, then what in the ticket
 * narrows it (title, service, description, the thread's newest comments,
 * error lines of pasted logs and attachments).
 * Capped, so that a pasted wall of logs cannot drown the question.
 */
export function buildSearchText(query: SearchQuery): string {
  const ticket = query.ticket;
  const parts = [query.question];
  if (ticket) {
    if (ticket.title) parts.push(ticket.title);
    if (ticket.service) parts.push(ticket.service);
    if (ticket.description) parts.push(ticket.description);
    // The thread's latest word on the problem: where it stands now.
    for (const comment of (ticket.comments ?? []).slice(-maxThreadComments))
      parts.push(comment.text.slice(0, maxThreadCommentChars));
    const pasted = [ticket.logs ?? "", ...(ticket.attachments ?? []).map((item) => item.text)];
    const lines = pasted
      .flatMap((text) => text.split("\n"))
      .filter((line) => errorLine.test(line))
      .slice(0, maxLogLines)
      .map((line) => stripLogNoise(line));
    parts.push(...lines);
    for (const value of Object.values(ticket.fields ?? {})) parts.push(value);
  }
  return parts
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .join("\n")
    .slice(0, maxChars);
}

/** Timestamps, ids and hex carry no meaning for search and crowd out the words that do. */
function stripLogNoise(line: string): string {
  return line
    .replace(/\b\d{4}-\d{2}-\d{2}[T ][\d:.,]+Z?\b/g, " ")
    .replace(/\b[0-9a-f]{12,}\b/gi, " ")
    .replace(/\s+/g, " ")
    .trim();
}
