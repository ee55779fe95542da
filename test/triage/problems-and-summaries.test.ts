import { describe, expect, it } from "vitest";
import { splitProblems } from "../../src/triage/split-problems.js";
import { summarizeTicket } from "../../src/triage/ticket-summary.js";

describe("reading a ticket for triage", () => {
  it("splits a ticket into the problems it lists or turns to, and keeps one problem whole", () => {
    expect(
      splitProblems(
        "1. VPN drops every hour since Monday\n2) Outlook will not open shared calendars at all",
      ),
    ).toEqual([
      "VPN drops every hour since Monday",
      "Outlook will not open shared calendars at all",
    ]);
    expect(
      splitProblems(
        "Checkout returns 503 for all customers since 14:05. Pods restart. Also, the admin dashboard is slow to load for me.",
      ),
    ).toEqual([
      "Checkout returns 503 for all customers since 14:05. Pods restart.",
      "Also, the admin dashboard is slow to load for me.",
    ]);
    expect(splitProblems("Disk full on db-3 again. It is urgent.")).toEqual([
      "Disk full on db-3 again. It is urgent.",
    ]);
    // A part needs three content words to count as a problem of its own.
    expect(splitProblems("- ok\n- fine")).toEqual(["- ok\n- fine"]);
  });

  it("summarises in one sentence of the reporter's words, naming the service when the text does not", () => {
    expect(
      summarizeTicket({ title: "RE: orders-db replica lagging", description: null, service: null }),
    ).toBe("Orders-db replica lagging.");
    expect(
      summarizeTicket({
        title: "help",
        description: "Card payments time out on pay. Since noon.",
        service: "checkout-api",
      }),
    ).toBe("Card payments time out on pay (checkout-api).");
    const long = summarizeTicket({
      title: null,
      description: `${"very ".repeat(60)}long`,
      service: null,
    });
    expect(long.length).toBeLessThanOrEqual(162);
    expect(long.endsWith("…")).toBe(true);
  });
});
