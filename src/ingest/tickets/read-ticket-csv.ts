import { parseCsv } from "./parse-csv.js";
import type { TicketFileContents } from "./past-ticket.js";
import type { TicketMapping } from "./ticket-mapping.js";
import { readTicketRecord, type TicketRecordKey, ticketRecordSchema } from "./ticket-record.js";

/**
 * A CSV export read through its mapping: the header row names the columns,
 * each later record becomes a contract record and is checked like a JSON Lines
 * row. A column the mapping names but the header lacks fails the whole file,
 * naming the columns it has.
 */
export function readTicketCsv(
  text: string,
  mapping: TicketMapping,
  mappingPath: string,
): TicketFileContents {
  const csv = parseCsv(text, mapping.delimiter);
  const contents: TicketFileContents = { tickets: [], problems: [...csv.problems] };
  const [header, ...records] = csv.records;
  if (!header) {
    if (contents.problems.length === 0)
      contents.problems.push({ line: null, reason: "file has no header row" });
    return contents;
  }
  const positions = columnPositions(header.fields);
  const resolved: [TicketRecordKey, number[]][] = [];
  const missing: string[] = [];
  for (const [key, names] of Object.entries(mapping.columns) as [
    TicketRecordKey,
    string[] | undefined,
  ][]) {
    if (!names) continue;
    const found = names.flatMap(
      (name) => positions.get(name) ?? positions.get(name.toLowerCase()) ?? [],
    );
    if (found.length === 0)
      missing.push(`${key} (${names.map((name) => JSON.stringify(name)).join(" or ")})`);
    else resolved.push([key, found]);
  }
  if (missing.length > 0) {
    const known = header.fields
      .slice(0, 40)
      .map((name) => JSON.stringify(name.trim()))
      .join(", ");
    return {
      tickets: [],
      problems: [
        {
          line: header.line,
          reason: `${mappingPath} names columns the header lacks: ${missing.join("; ")}. The header has: ${known}`,
        },
      ],
    };
  }
  const schema = ticketRecordSchema({ dayFirst: mapping.day_first });
  for (const { line, fields } of records) {
    // Beyond the header only empty cells are tolerated (trailing delimiters); anything more is a broken row.
    if (
      fields.length > header.fields.length &&
      fields.slice(header.fields.length).some((field) => field.trim() !== "")
    ) {
      contents.problems.push({
        line,
        reason: `row has ${fields.length} fields, the header ${header.fields.length}: check its quotes`,
      });
      continue;
    }
    const record: Record<string, string> = {};
    for (const [key, indexes] of resolved) {
      const value = indexes.map((index) => fields[index]?.trim() ?? "").find((cell) => cell !== "");
      if (value !== undefined) record[key] = value;
    }
    if (!mapping.columns.id) record.id = `L${line}`;
    const outcome = readTicketRecord(schema, record);
    if (outcome.ok) contents.tickets.push({ line, ticket: outcome.ticket });
    else
      contents.problems.push({
        line,
        reason: outcome.reason,
        ...(outcome.id === undefined ? {} : { id: outcome.id }),
      });
  }
  return contents;
}

/** Header names to their positions: as written (trimmed), and lowercased; a repeated name (Jira's `Component/s`) keeps every position. */
function columnPositions(header: readonly string[]): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  header.forEach((raw, index) => {
    const name = raw.trim();
    for (const key of new Set([name, name.toLowerCase()]))
      positions.set(key, [...(positions.get(key) ?? []), index]);
  });
  return positions;
}
