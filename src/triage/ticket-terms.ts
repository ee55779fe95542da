import { contentWords } from "../text/content-words.js";
import { termKey } from "../text/term-key.js";

/** What triage reads of a ticket: the fields a reporter fills in. */
export interface TicketText {
  title: string | null;
  description: string | null;
  service: string | null;
}

/**
 * The terms a ticket is classified by: stemmed content words, the title's
 * again under their own prefix (a title names the problem; a body also tells
 * the story), adjacent word pairs (`disk full` is not `disk` and `full`), and
 * the service the reporter chose.
 */
export function ticketTerms(ticket: TicketText): string[] {
  const terms: string[] = [];
  const title = ticket.title === null ? [] : contentWords(ticket.title).map(termKey);
  const body = ticket.description === null ? [] : contentWords(ticket.description).map(termKey);
  for (const word of title) terms.push(`t:${word}`);
  for (const words of [title, body]) {
    for (let i = 0; i < words.length; i++) {
      terms.push(words[i] as string);
      if (i + 1 < words.length) terms.push(`${words[i]}_${words[i + 1]}`);
    }
  }
  if (ticket.service !== null && ticket.service.trim() !== "")
    terms.push(`s:${ticket.service.trim().toLowerCase()}`);
  return terms;
}

/** The plain baseline's terms: lowercased words of title and description, nothing else. */
export function plainTerms(ticket: TicketText): string[] {
  return `${ticket.title ?? ""} ${ticket.description ?? ""}`
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 2);
}
