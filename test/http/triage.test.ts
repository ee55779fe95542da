import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TriageResponse } from "../../src/contract/triage-response.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { writeFiles } from "../helpers/temp-dir.js";
import { ticketHistory } from "../helpers/ticket-history.js";

type TriageBody = TriageResponse & { error: { code: string; message: string } };

const post = async (app: TestApp, body: unknown) => {
  const response = await fetch(`${app.baseUrl}/v1/triage`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as TriageBody };
};

describe("POST /v1/triage, offline", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await writeFiles(app.kbDir, { "tickets/history.jsonl": ticketHistory(60) });
    await app.ingest();
  });
  afterAll(() => app.close());

  it("labels a ticket from the desk's history, with confidences, tags, a summary and what informed it", async () => {
    const { status, body } = await post(app, {
      ticket: {
        title: "orders-db replication lag is high",
        description: "The replica is minutes behind the postgres primary since this morning.",
      },
    });
    expect(status).toBe(200);
    expect(body.team).toMatchObject({ label: "data-team" });
    expect(body.category).toMatchObject({ label: "Database" });
    expect(body.priority?.label).toBe("P3");
    for (const label of [body.team, body.category, body.priority]) {
      expect(label?.confidence).toBeGreaterThan(0);
      expect(label?.confidence).toBeLessThanOrEqual(1);
      expect(label?.reason).toMatch(/similar past tickets/);
    }
    expect(body.needs_review).toBe(body.review.length > 0);
    expect(body.threshold).toBe(0.8);
    expect(body.tags.length).toBeGreaterThanOrEqual(3);
    expect(body.tags.length).toBeLessThanOrEqual(5);
    expect(body.summary).toBe("Orders-db replication lag is high.");
    expect(body.similar.tickets.length).toBeGreaterThan(0);
    expect(body.similar.tickets[0]?.labels.team).toBe("data-team");
    expect(body.mode).toBe("offline");
    expect(body.taxonomy).toBeNull();
    expect(body.others).toEqual([]);
  });

  it("is sure of a plain case and asks for review of a ticket nothing in the history resembles", async () => {
    const sure = await post(app, {
      ticket: {
        title: "checkout returns 503 for all customers",
        description: "checkout-api returns 503 on pay for all customers",
      },
    });
    expect(sure.body.team?.label).toBe("payments-team");
    expect(sure.body.priority?.label).toBe("P1");
    expect(sure.body.team?.confidence).toBeGreaterThanOrEqual(0.8);

    const vague = await post(app, { ticket: { title: "question about my invoice address" } });
    expect(vague.body.needs_review).toBe(true);
    expect(vague.body.review.join(" ")).toMatch(/confidence .* is below 0\.8/);
  });

  it("triages a ticket that reports several problems on the most urgent one and lists the others", async () => {
    const { body } = await post(app, {
      ticket: {
        title: "two things",
        description:
          "1. My docking station is not detected by the laptop for me\n2. Checkout returns 503 on pay for all customers, card payments fail",
      },
    });
    expect(body.team?.label).toBe("payments-team");
    expect(body.priority?.label).toBe("P1");
    expect(body.others).toHaveLength(1);
    expect(body.others[0]?.team?.label).toBe("workplace");
    expect(body.others[0]?.summary).toMatch(/docking station/i);
  });

  it("keeps labels within the taxonomy file and applies its rules, naming its version", async () => {
    await writeFiles(app.kbDir, {
      "taxonomy.yaml": [
        "version: '2026.11'",
        "categories:",
        "  - name: Database",
        "  - name: Application",
        "  - name: Hardware",
        "priorities:",
        "  - name: P1",
        "    keywords: [data loss]",
        "  - name: P3",
        "  - name: P4",
        "teams:",
        "  - name: data-team",
        "    services: [orders-db]",
        "  - name: payments-team",
        "    services: [checkout-api]",
        "",
      ].join("\n"),
    });
    const { body } = await vi.waitFor(
      async () => {
        const answer = await post(app, {
          ticket: {
            title: "printer jams on every job",
            description: "The office printer jams; we also fear data loss on the scans.",
          },
        });
        expect(answer.body.taxonomy).not.toBeNull();
        return answer;
      },
      { timeout: 5_000, interval: 100 },
    );
    expect(body.taxonomy).toEqual({ version: "2026.11", source: "file" });
    // The history's team for printers (workplace) is not in the taxonomy: never returned.
    expect(body.team?.label).not.toBe("workplace");
    expect(body.priority).toMatchObject({
      label: "P1",
      reason: expect.stringMatching(/data loss/),
    });
  });

  it("refuses a ticket with nothing to read", async () => {
    const { status, body } = await post(app, { ticket: { service: "orders-db" } });
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
  });
});

describe("POST /v1/triage without a ticket history", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it("answers with no labels and asks for review, saying why", async () => {
    const { status, body } = await post(app, { ticket: { title: "orders-db is slow" } });
    expect(status).toBe(200);
    expect(body.team).toBeNull();
    expect(body.needs_review).toBe(true);
    expect(body.review).toContain("no team could be learned from the ticket history");
  });
});
