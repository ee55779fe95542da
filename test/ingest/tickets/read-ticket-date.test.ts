import { describe, expect, it } from "vitest";
import { readTicketDate } from "../../../src/ingest/tickets/read-ticket-date.js";

describe("readTicketDate", () => {
  it.each([
    ["2026-03-14T14:05:00Z", "2026-03-14T14:05:00Z"],
    ["2026-03-14T14:05:00.123Z", "2026-03-14T14:05:00Z"],
    ["2026-03-14 14:05:00", "2026-03-14T14:05:00Z"],
    ["2026-03-14 14:05", "2026-03-14T14:05:00Z"],
    ["2026-03-14", "2026-03-14T00:00:00Z"],
    ["2026-03-14T16:05:00+02:00", "2026-03-14T14:05:00Z"],
    ["2026-03-14T09:05:00-0500", "2026-03-14T14:05:00Z"],
    ["14/Mar/26 2:05 PM", "2026-03-14T14:05:00Z"],
    ["14/Mar/26 12:05 AM", "2026-03-14T00:05:00Z"],
    ["01/Jan/2026", "2026-01-01T00:00:00Z"],
    ["03/14/2026 14:05:00", "2026-03-14T14:05:00Z"],
    [" 2026-03-14 ", "2026-03-14T00:00:00Z"],
  ])("reads %j as %s", (text, iso) => {
    expect(readTicketDate(text)).toBe(iso);
  });

  it("reads day-first numeric dates when told to", () => {
    expect(readTicketDate("14.03.2026 14:05", { dayFirst: true })).toBe("2026-03-14T14:05:00Z");
    expect(readTicketDate("14.03.2026 14:05")).toBeUndefined();
  });

  it.each([
    "yesterday",
    "2026-02-30",
    "2026-13-01",
    "2026-03-14T25:00:00Z",
    "31/Foo/26",
    "13:05",
    "",
    "14/Mar/26 13:05 PM",
  ])("refuses %j", (text) => {
    expect(readTicketDate(text)).toBeUndefined();
  });
});
