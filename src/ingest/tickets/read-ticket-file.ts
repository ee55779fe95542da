import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { TicketFileContents } from "./past-ticket.js";
import { readTicketCsv } from "./read-ticket-csv.js";
import { readTicketLines } from "./read-ticket-lines.js";
import { readTicketMapping } from "./read-ticket-mapping.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * One export file's tickets and bad rows: JSON Lines in the contract format,
 * or CSV through the mapping beside it. A file that cannot be read at all
 * (too big, not UTF-8, gone) is one problem with no line.
 */
export function readTicketFile(kbDir: string, path: string, maxBytes: number): TicketFileContents {
  const failed = (reason: string): TicketFileContents => ({
    tickets: [],
    problems: [{ line: null, reason }],
  });
  let text: string;
  try {
    const fullPath = join(kbDir, path);
    const size = statSync(fullPath).size;
    if (size > maxBytes) {
      return failed(
        `file is ${size} bytes, over the ${maxBytes}-byte limit (MAX_TICKET_FILE_BYTES)`,
      );
    }
    text = utf8.decode(readFileSync(fullPath));
  } catch (error) {
    if (error instanceof TypeError) return failed("file is not valid UTF-8");
    // A file deleted or unreadable mid-run is reported like any other bad file.
    return failed(`cannot read file: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/\.csv$/i.test(path)) return readTicketLines(text);
  const mapping = readTicketMapping(kbDir, path);
  if (!mapping.ok) return failed(mapping.reason);
  return readTicketCsv(text, mapping.mapping, mapping.path);
}
