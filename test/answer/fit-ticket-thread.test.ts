import { describe, expect, it } from "vitest";
import { estimateTokens, fitTicketThread } from "../../src/answer/fit-ticket-thread.js";

const comment = (n: number, text = `update number ${n} on the ticket`) => ({
  author: `agent${n % 3}`,
  at: `2026-03-14T10:${String(n % 60).padStart(2, "0")}:00Z`,
  text,
});

describe("fitting a ticket's thread into the prompt", () => {
  it("keeps a short thread whole, oldest first, and says nothing was left out", () => {
    const fitted = fitTicketThread({ comments: [comment(1), comment(2)] }, 1_000);
    expect(fitted.omitted).toBeNull();
    expect(fitted.text.indexOf("update number 1")).toBeLessThan(
      fitted.text.indexOf("update number 2"),
    );
    expect(fitted.text).toContain("agent1");
  });

  it("keeps the newest comments and the error lines of what it cuts, within the budget, and says what it left out", () => {
    const comments = [
      comment(
        0,
        "FIRST: the reporter's first follow-up\nERROR: connection refused to pgbouncer:6432",
      ),
      ...Array.from({ length: 300 }, (_, n) => comment(n + 1)),
      comment(301, "NEWEST: the disk on db-3 filled again"),
    ];
    const attachments = [
      {
        name: "app.log",
        text: Array.from({ length: 4_000 }, (_, n) =>
          n === 1_234
            ? "2026-03-14 FATAL: could not write to file: No space left on device"
            : `INFO request ${n} ok`,
        ).join("\n"),
      },
    ];
    const budget = 800;
    const fitted = fitTicketThread({ comments, attachments }, budget);
    expect(estimateTokens(fitted.text)).toBeLessThanOrEqual(budget);
    expect(fitted.text).toContain("NEWEST: the disk on db-3 filled again");
    expect(fitted.text).not.toContain("FIRST: the reporter's first follow-up");
    // The cut comment's and attachment's errors survive as lines.
    expect(fitted.text).toContain("ERROR: connection refused to pgbouncer:6432");
    expect(fitted.text).toContain("FATAL: could not write to file: No space left on device");
    expect(fitted.text).not.toContain("INFO request 17 ok");
    expect(fitted.omitted).toMatchObject({ attachments: 1, errorLinesKept: 2 });
    expect(fitted.omitted?.comments).toBeGreaterThan(250);
    expect(fitted.text).toMatch(
      /^\[Left out to fit: \d+ older comments and 1 attachment; 2 error lines from them kept below\.\]/,
    );
  });

  it("leaves internal notes out of a thread meant for the reporter", () => {
    const thread = {
      comments: [
        { text: "Customer says checkout fails" },
        { text: "Restarted pods on node ip-10-2-3-4, ACME also affected", internal: true },
      ],
    };
    expect(fitTicketThread(thread, 1_000, "internal").text).toContain("(internal note)");
    const forReporter = fitTicketThread(thread, 1_000, "reporter").text;
    expect(forReporter).toContain("Customer says checkout fails");
    expect(forReporter).not.toContain("ACME");
  });
});
