import type { PastTicket } from "../ingest/tickets/past-ticket.js";
import { labelKey } from "./label-key.js";
import type { Taxonomy } from "./taxonomy.js";

type LabelledTicket = Pick<PastTicket, "id" | "category" | "priority" | "team">;

export type LabelField = "category" | "priority" | "team";

/** A label the history uses and the taxonomy does not know. */
export interface UnknownLabel {
  field: LabelField;
  /** As first seen in the history. */
  label: string;
  /** Tickets that carry it. */
  count: number;
  /** The first five of them, in the order given. */
  ticketIds: string[];
}

const listedTicketIds = 5;

/**
 * The labels of `tickets` missing from the taxonomy, matched ignoring case and surrounding
 * space: per field in the order category, priority, team, the most used first. Tickets
 * without a label are not unknown, just unlabelled.
 */
export function unknownLabels(
  taxonomy: Taxonomy,
  tickets: readonly LabelledTicket[],
): UnknownLabel[] {
  const known: Record<LabelField, Set<string>> = {
    category: new Set(taxonomy.categories.map((label) => labelKey(label.name))),
    priority: new Set(taxonomy.priorities.map((label) => labelKey(label.name))),
    team: new Set(taxonomy.teams.map((label) => labelKey(label.name))),
  };
  const found: UnknownLabel[] = [];
  for (const field of ["category", "priority", "team"] as const) {
    const byKey = new Map<string, UnknownLabel>();
    for (const ticket of tickets) {
      const label = ticket[field];
      if (label === null || label.trim() === "") continue;
      const key = labelKey(label);
      if (known[field].has(key)) continue;
      const entry = byKey.get(key) ?? { field, label: label.trim(), count: 0, ticketIds: [] };
      entry.count++;
      if (entry.ticketIds.length < listedTicketIds) entry.ticketIds.push(ticket.id);
      byKey.set(key, entry);
    }
    found.push(
      ...[...byKey.values()].sort(
        (left, right) => right.count - left.count || left.label.localeCompare(right.label),
      ),
    );
  }
  return found;
}
