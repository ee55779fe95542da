import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import matter from "gray-matter";
import { describe, expect, it } from "vitest";
import { readTicketLines } from "../../../src/ingest/tickets/read-ticket-lines.js";

const kbDir = join(import.meta.dirname, "../../../kb");

describe("the sample ticket history (kb/tickets/history.jsonl)", () => {
  const contents = readTicketLines(readFileSync(join(kbDir, "tickets/history.jsonl"), "utf8"));
  const tickets = contents.tickets.map(({ ticket }) => ticket);

  it("reads without a bad row and holds at least 150 resolved tickets", () => {
    expect(contents.problems).toEqual([]);
    expect(new Set(tickets.map((ticket) => ticket.id)).size).toBeGreaterThanOrEqual(150);
  });

  it("spreads over a handful of categories, priorities and teams", () => {
    const distinct = (values: (string | null)[]) =>
      new Set(values.filter((value) => value !== null)).size;
    expect(distinct(tickets.map((ticket) => ticket.category))).toBeGreaterThanOrEqual(5);
    expect(distinct(tickets.map((ticket) => ticket.priority))).toBeGreaterThanOrEqual(4);
    expect(distinct(tickets.map((ticket) => ticket.team))).toBeGreaterThanOrEqual(5);
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
