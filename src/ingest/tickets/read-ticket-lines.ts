import type { TicketFileContents } from "./past-ticket.js";
import { readTicketRecord, ticketRecordSchema } from "./ticket-record.js";

/** A line longer than this is refused: no ticket is a megabyte, a corrupt export can be. */
const maxLineChars = 1024 * 1024;

/**
 * A JSON Lines export in the contract format: one JSON object per line,
 * blank lines skipped. A bad line is a problem with its 1-based line number;
 * the rest of the file is still read.
 */
export function readTicketLines(text: string): TicketFileContents {
  const schema = ticketRecordSchema();
  const contents: TicketFileContents = { tickets: [], problems: [] };
  const lines = text.split("\n");
  lines.forEach((raw, position) => {
    const line = position + 1;
    const source = raw.replace(/\r$/, "");
    if (source.trim() === "") return;
    if (source.length > maxLineChars) {
      contents.problems.push({ line, reason: `line is over ${maxLineChars} characters` });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      contents.problems.push({ line, reason: `not valid JSON: ${message}` });
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      contents.problems.push({ line, reason: "expected a JSON object" });
      return;
    }
    const outcome = readTicketRecord(schema, value);
    if (outcome.ok) contents.tickets.push({ line, ticket: outcome.ticket });
    else
      contents.problems.push({
        line,
        reason: outcome.reason,
        ...(outcome.id === undefined ? {} : { id: outcome.id }),
      });
  });
  return contents;
}
