import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import matter from "gray-matter";
import { describe, expect, it } from "vitest";
import { readTicketLines } from "../../../src/ingest/tickets/read-ticket-lines.js";
import { readTaxonomyFile } from "../../../src/taxonomy/read-taxonomy.js";
import { unknownLabels } from "../../../src/taxonomy/unknown-labels.js";

const kbDir = join(import.meta.dirname, "../../../kb");

describe("the sample ticket history (kb/tickets/history.jsonl)", () => {
  const contents = readTicketLines(readFileSync(join(kbDir, "tickets/history.jsonl"), "utf8"));
  const tickets = contents.tickets.map(({ ticket }) => ticket);

  const taxonomy = readTaxonomyFile(kbDir);

  it("reads without a bad row and holds at least 450 resolved tickets, one exported twice", () => {
    expect(contents.problems).toEqual([]);
    const ids = tickets.map((ticket) => ticket.id);
    expect(new Set(ids).size).toBeGreaterThanOrEqual(450);
    expect(ids.length).toBeGreaterThan(new Set(ids).size);
  });

  it("uses only labels of kb/taxonomy.yaml, and every one of its categories, priorities and teams", () => {
    expect(taxonomy?.source).toBe("file");
    if (!taxonomy) return;
    expect(unknownLabels(taxonomy, tickets)).toEqual([]);
    const used = (values: (string | null)[]) => new Set(values.filter((value) => value !== null));
    const names = (labels: { name: string }[]) => new Set(labels.map((label) => label.name));
    expect(used(tickets.map((ticket) => ticket.category))).toEqual(names(taxonomy.categories));
    expect(used(tickets.map((ticket) => ticket.priority))).toEqual(names(taxonomy.priorities));
    expect(used(tickets.map((ticket) => ticket.team))).toEqual(names(taxonomy.teams));
  });

  it("names services that some team of the taxonomy owns", () => {
    const owned = new Set(taxonomy?.teams.flatMap((team) => team.services));
    const named = new Set(tickets.flatMap((ticket) => (ticket.service ? [ticket.service] : [])));
    expect([...named].filter((service) => !owned.has(service))).toEqual([]);
  });

  it("holds a few tickets written in German, French and Spanish", () => {
    const written = (pattern: RegExp) =>
      tickets.filter((ticket) => pattern.test(`${ticket.title} ${ticket.description ?? ""}`))
        .length;
    expect(written(/\b(Hallo|Guten Tag|Kunde|Passwort)\b/)).toBeGreaterThanOrEqual(3);
    expect(written(/\b(Bonjour|depuis)\b/)).toBeGreaterThanOrEqual(3);
    expect(written(/\b(Hola|portátil)\b/)).toBeGreaterThanOrEqual(3);
  });

  it("names only services of the sample estate", () => {
    const estate = new Set<string>();
    for (const folder of ["runbooks", "incidents"]) {
      for (const name of readdirSync(join(kbDir, folder))) {
        const { data } = matter(readFileSync(join(kbDir, folder, name), "utf8"));
        for (const service of (data.services as string[] | undefined) ?? []) estate.add(service);
      }
    }
    const named = new Set(tickets.flatMap((ticket) => (ticket.service ? [ticket.service] : [])));
    expect([...named].filter((service) => !estate.has(service))).toEqual([]);
  });
});
