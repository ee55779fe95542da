import type { SearchFilters } from "../contract/search-filters.js";
import { sqlString } from "../store/sql.js";

/** Filters as one LanceDB SQL predicate, pushed into both the vector and the full-text query. */
export function filterSql(filters: SearchFilters | undefined): string | undefined {
  if (!filters) return undefined;
  const clauses: string[] = [];
  if (filters.kind?.length) clauses.push(`kind IN (${filters.kind.map(sqlString).join(", ")})`);
  if (filters.services?.length) clauses.push(anyOf("services", filters.services));
  if (filters.tags?.length) clauses.push(anyOf("tags", filters.tags));
  return clauses.length > 0 ? clauses.join(" AND ") : undefined;
}

function anyOf(listColumn: string, values: readonly string[]): string {
  return `(${values.map((value) => `array_has(${listColumn}, ${sqlString(value)})`).join(" OR ")})`;
}
