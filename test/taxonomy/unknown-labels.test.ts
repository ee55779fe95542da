import { describe, expect, it } from "vitest";
import { parseTaxonomy } from "../../src/taxonomy/read-taxonomy.js";
import { taxonomyFromHistory } from "../../src/taxonomy/taxonomy-from-history.js";
import { unknownLabels } from "../../src/taxonomy/unknown-labels.js";

const taxonomy = parseTaxonomy(
  `version: 1
categories: [{ name: Database }, { name: Network }]
priorities: [{ name: P1 }, { name: P2 }]
teams: [{ name: data-team, services: [orders-db] }]
`,
  "taxonomy.yaml",
);

const ticket = (
  id: string,
  category: string | null,
  priority: string | null,
  team: string | null,
) => ({
  id,
  category,
  priority,
  team,
});

describe("unknownLabels", () => {
  it("lists labels the taxonomy lacks per field, most used first, with the first five ticket ids", () => {
    const tickets = [
      ticket("INC1", "database", "P1 ", "Data-Team"),
      ...Array.from({ length: 7 }, (_, index) =>
        ticket(`INC${index + 2}`, "Hardware", "P2", "service-desk"),
      ),
      ticket("INC9", "Netwrk", "Sev1", "data-team"),
      ticket("INC10", null, null, null),
      ticket("INC11", "", "P2", "data-team"),
    ];
    expect(unknownLabels(taxonomy, tickets)).toEqual([
      {
        field: "category",
        label: "Hardware",
        count: 7,
        ticketIds: ["INC2", "INC3", "INC4", "INC5", "INC6"],
      },
      { field: "category", label: "Netwrk", count: 1, ticketIds: ["INC9"] },
      { field: "priority", label: "Sev1", count: 1, ticketIds: ["INC9"] },
      {
        field: "team",
        label: "service-desk",
        count: 7,
        ticketIds: ["INC2", "INC3", "INC4", "INC5", "INC6"],
      },
    ]);
  });

  it("finds none in the taxonomy derived from the same history", () => {
    const tickets = [
      ticket("INC1", "Hardware", "P4", "service-desk"),
      ticket("INC2", "Database", "P1", "dba"),
    ];
    const derived = taxonomyFromHistory(tickets.map((item) => ({ ...item, service: null })));
    expect(unknownLabels(derived, tickets)).toEqual([]);
  });
});
