import { sqlString } from "./sql.js";

/** Which past tickets a search may return: any of the services, any of the teams, opened within the dates. */
export interface TicketFilters {
  services?: readonly string[] | undefined;
  teams?: readonly string[] | undefined;
  /** ISO 8601 UTC, as stored (`2026-03-14T14:05:00Z`): opened at or after. */
  openedFrom?: string | undefined;
  /** ISO 8601 UTC: opened at or before. */
  openedTo?: string | undefined;
}

/**
 * Filters as one LanceDB SQL predicate, pushed into the full-text and vector
 * queries. Services and teams match regardless of case; dates compare as the
 * ISO strings they are stored as, so a ticket without an opening date never
 * passes a date filter.
 */
export function ticketFilterSql(filters: TicketFilters | undefined): string | undefined {
  if (!filters) return undefined;
  const clauses: string[] = [];
  const anyOf = (column: string, values: readonly string[] | undefined) => {
    if (values?.length)
      clauses.push(
        `lower(${column}) IN (${values.map((value) => sqlString(value.toLowerCase())).join(", ")})`,
      );
  };
  anyOf("service", filters.services);
  anyOf("team", filters.teams);
  if (filters.openedFrom) clauses.push(`opened_at >= ${sqlString(filters.openedFrom)}`);
  if (filters.openedTo) clauses.push(`opened_at <= ${sqlString(filters.openedTo)}`);
  return clauses.length > 0 ? clauses.join(" AND ") : undefined;
}
