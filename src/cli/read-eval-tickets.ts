import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { KbError } from "../errors.js";
import type { PastTicket, TicketFileContents } from "../ingest/tickets/past-ticket.js";
import { readTicketCsv } from "../ingest/tickets/read-ticket-csv.js";
import { readTicketLines } from "../ingest/tickets/read-ticket-lines.js";
import { readTicketMappingFile } from "../ingest/tickets/read-ticket-mapping.js";

/** `--split` and `--seed` as the eval commands take them; throws `invalid_request` naming the flag. */
export function checkSplitOptions(options: { split: number; seed: number }): void {
  if (!(options.split > 0 && options.split < 1))
    throw new KbError(
      "invalid_request",
      `--split must be between 0 and 1 (exclusive), not ${options.split}`,
    );
  if (!Number.isInteger(options.seed))
    throw new KbError("invalid_request", `--seed must be an integer, not ${options.seed}`);
}

/**
 * The tickets of an eval's `--tickets` file, a repeated id keeping its last row as
 * ingest does; skipped rows are reported on `stderr`. Throws `invalid_request` when
 * the file is unreadable or has too few tickets to split into history and test.
 */
export function readEvalTickets(
  options: { tickets: string; mapping: string | undefined; split: number },
  stderr: NodeJS.WritableStream,
): PastTicket[] {
  const contents = readTickets(options.tickets, options.mapping);
  if (contents.problems.length > 0) {
    const first = contents.problems[0];
    stderr.write(
      `${contents.problems.length} rows skipped; first: ${first?.line === null ? "" : `line ${first?.line}: `}${first?.reason}\n`,
    );
  }
  const tickets = [...new Map(contents.tickets.map(({ ticket }) => [ticket.id, ticket])).values()];
  const cut = Math.round(tickets.length * options.split);
  if (cut < 2 || tickets.length - cut < 1)
    throw new KbError(
      "invalid_request",
      `${options.tickets} has ${tickets.length} readable tickets: too few to split ${options.split} into history and test`,
    );
  return tickets;
}

/** JSON Lines in the contract format, or CSV through --mapping (default: `<name>.mapping.yaml` or `mapping.yaml` beside it). */
function readTickets(path: string, mappingPath: string | undefined): TicketFileContents {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new KbError(
      "invalid_request",
      `cannot read --tickets ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/\.csv$/i.test(path)) {
    if (mappingPath) throw new KbError("invalid_request", "--mapping applies to CSV files only");
    return readTicketLines(text);
  }
  const stem = basename(path).replace(/\.csv$/i, "");
  const candidates = mappingPath
    ? [mappingPath]
    : [`${stem}.mapping.yaml`, `${stem}.mapping.yml`, "mapping.yaml", "mapping.yml"].map((name) =>
        join(dirname(path), name),
      );
  const found = candidates.find((candidate) => {
    try {
      readFileSync(candidate);
      return true;
    } catch {
      return false;
    }
  });
  if (!found)
    throw new KbError(
      "invalid_request",
      `${path} is a CSV: give --mapping FILE (see kb/tickets/mappings/ for the format), or put ${candidates[0]} beside it`,
    );
  const mapping = readTicketMappingFile(found, found);
  if (!mapping.ok) throw new KbError("invalid_request", mapping.reason);
  const contents = readTicketCsv(text, mapping.mapping, found);
  if (
    contents.tickets.length === 0 &&
    contents.problems[0]?.line !== undefined &&
    contents.problems.length === 1
  )
    throw new KbError("invalid_request", contents.problems[0].reason);
  return contents;
}
