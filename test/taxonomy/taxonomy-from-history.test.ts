import { describe, expect, it } from "vitest";
import { taxonomyFromHistory } from "../../src/taxonomy/taxonomy-from-history.js";

const ticket = (
  category: string | null,
  priority: string | null,
  team: string | null,
  service: string | null = null,
) => ({ category, priority, team, service });

describe("taxonomyFromHistory", () => {
  const history = [
    ticket("Network", "P2", "platform-team", "coredns"),
    ticket("Database", "P10", "data-team", "orders-db"),
    ticket("database ", "P1", "Data-Team", "orders-db"),
    ticket("Database", "P2", "data-team", "sessions-redis"),
    ticket(null, null, "platform-team", "harbor"),
    ticket("Access", "", "platform-team", "harbor"),
    ticket("Access", "P3", null, "vault"),
  ];

  it("lists the labels seen, most used first, matched ignoring case and space", () => {
    const taxonomy = taxonomyFromHistory(history);
    expect(taxonomy.source).toBe("history");
    expect(taxonomy.categories.map((label) => label.name)).toEqual([
      "Database",
      "Access",
      "Network",
    ]);
    expect(taxonomy.categories[0]).toEqual({ name: "Database", description: null, keywords: [] });
    expect(taxonomy.tags).toEqual([]);
  });

  it("ranks priorities by the natural order of their names", () => {
    expect(taxonomyFromHistory(history).priorities).toEqual([
      { name: "P1", description: null, keywords: [], rank: 0, impact: null, urgency: null },
      { name: "P2", description: null, keywords: [], rank: 1, impact: null, urgency: null },
      { name: "P3", description: null, keywords: [], rank: 2, impact: null, urgency: null },
      { name: "P10", description: null, keywords: [], rank: 3, impact: null, urgency: null },
    ]);
    const named = taxonomyFromHistory([
      ticket(null, "3 - Moderate", null),
      ticket(null, "1 - Critical", null),
      ticket(null, "2 - High", null),
    ]);
    expect(named.priorities.map((label) => label.name)).toEqual([
      "1 - Critical",
      "2 - High",
      "3 - Moderate",
    ]);
  });

  it("gives each team the services seen with it, most used first (ties by name)", () => {
    expect(taxonomyFromHistory(history).teams).toEqual([
      {
        name: "data-team",
        description: null,
        keywords: [],
        services: ["orders-db", "sessions-redis"],
      },
      { name: "platform-team", description: null, keywords: [], services: ["harbor", "coredns"] },
    ]);
  });

  it("versions the labels: the same history gives the same version, another label another", () => {
    const version = taxonomyFromHistory(history).version;
    expect(version).toMatch(/^history-[0-9a-f]{8}$/);
    expect(taxonomyFromHistory([...history].reverse()).version).toBe(version);
    expect(taxonomyFromHistory([...history, ticket("Hardware", null, null)]).version).not.toBe(
      version,
    );
  });

  it("is empty for an empty history", () => {
    expect(taxonomyFromHistory([])).toMatchObject({ categories: [], priorities: [], teams: [] });
  });
});
