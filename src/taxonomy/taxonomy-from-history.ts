import { createHash } from "node:crypto";
import type { PastTicket } from "../ingest/tickets/past-ticket.js";
import { labelKey } from "./label-key.js";
import type { Taxonomy } from "./taxonomy.js";

type HistoryTicket = Pick<PastTicket, "category" | "priority" | "team" | "service">;

/** Labels counted by their key, each under the spelling it was first seen with. */
class LabelCounts {
  readonly #counts = new Map<string, { name: string; count: number }>();

  add(label: string | null): void {
    if (label === null || label.trim() === "") return;
    const key = labelKey(label);
    const entry = this.#counts.get(key);
    if (entry) entry.count++;
    else this.#counts.set(key, { name: label.trim(), count: 1 });
  }

  /** Most frequent first; ties by name, so that equal histories give equal versions. */
  byFrequency(): string[] {
    return [...this.#counts.values()]
      .sort((left, right) => right.count - left.count || compareNames(left.name, right.name))
      .map((entry) => entry.name);
  }
}

/** Natural order: `P2` before `P10`, `1 - Critical` before `2 - High`. */
const compareNames = (left: string, right: string) =>
  left.localeCompare(right, "en", { numeric: true, sensitivity: "base" });

/**
 * Without a taxonomy file, the labels the history uses are the taxonomy: most frequent
 * first, priorities ranked by the natural order of their names, and each team owning the
 * services seen with it.
 */
export function taxonomyFromHistory(tickets: readonly HistoryTicket[]): Taxonomy {
  const categories = new LabelCounts();
  const priorities = new LabelCounts();
  const teams = new LabelCounts();
  const servicesByTeam = new Map<string, LabelCounts>();
  for (const ticket of tickets) {
    categories.add(ticket.category);
    priorities.add(ticket.priority);
    teams.add(ticket.team);
    if (ticket.team === null || ticket.team.trim() === "") continue;
    const key = labelKey(ticket.team);
    const services = servicesByTeam.get(key) ?? new LabelCounts();
    services.add(ticket.service);
    servicesByTeam.set(key, services);
  }
  const label = (name: string) => ({ name, description: null, keywords: [] });
  const taxonomy = {
    categories: categories.byFrequency().map(label),
    priorities: priorities
      .byFrequency()
      .sort(compareNames)
      .map((name, rank) => ({ ...label(name), rank, impact: null, urgency: null })),
    teams: teams.byFrequency().map((name) => ({
      ...label(name),
      services: servicesByTeam.get(labelKey(name))?.byFrequency() ?? [],
    })),
    tags: [],
  };
  const lists = [
    taxonomy.categories.map((category) => category.name),
    taxonomy.priorities.map((priority) => priority.name),
    taxonomy.teams.map((team) => [team.name, team.services]),
  ];
  const digest = createHash("sha256").update(JSON.stringify(lists)).digest("hex");
  return { version: `history-${digest.slice(0, 8)}`, source: "history", ...taxonomy };
}
