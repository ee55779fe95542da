import { sqlIn, sqlString } from "./sql.js";

/** Which chunks a search may return: any of the kinds, any of the services, any of the tags. */
export interface ChunkFilters {
  kind?: readonly string[] | undefined;
  services?: readonly string[] | undefined;
  tags?: readonly string[] | undefined;
  /** Only chunks of these documents, by path (a follow-up searching within what the last answer cited). */
  documents?: readonly string[] | undefined;
}

/** Filters as one LanceDB SQL predicate, pushed into both the vector and the full-text query. */
export function filterSql(filters: ChunkFilters | undefined): string | undefined {
  if (!filters) return undefined;
  const clauses: string[] = [];
  if (filters.kind?.length) clauses.push(`kind IN (${filters.kind.map(sqlString).join(", ")})`);
  if (filters.services?.length) clauses.push(anyOf("services", filters.services));
  if (filters.tags?.length) clauses.push(anyOf("tags", filters.tags));
  if (filters.documents?.length) clauses.push(sqlIn("doc_path", filters.documents));
  return clauses.length > 0 ? clauses.join(" AND ") : undefined;
}

function anyOf(listColumn: string, values: readonly string[]): string {
  return `(${values.map((value) => `array_has(${listColumn}, ${sqlString(value)})`).join(" OR ")})`;
}
