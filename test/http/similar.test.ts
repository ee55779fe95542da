import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimilarResponse } from "../../src/contract/similar-response.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { writeFiles } from "../helpers/temp-dir.js";

const history = [
  {
    id: "INC100",
    title: "Redis pool exhausted on cart",
    description: "Cart pages time out: Timeout waiting for connection from pool",
    category: "Software",
    priority: "P2",
    team: "cart-team",
    service: "cart-service",
    resolution: "Raised maxTotal to 64 and restarted the cart pods",
    opened_at: "2026-02-10T09:00:00Z",
    resolved_at: "2026-02-10T10:00:00Z",
  },
  {
    id: "INC101",
    title: "Redis pool exhausted on cart",
    description: "Again: cart timeouts, Timeout waiting for connection from pool",
    category: "Software",
    priority: "P3",
    team: "cart-team",
    service: "cart-service",
    resolution: "Raised maxTotal to 64 and restarted the cart pods.",
    opened_at: "2026-04-02T09:00:00Z",
    resolved_at: "2026-04-02T09:40:00Z",
  },
  {
    id: "INC102",
    title: "Sessions lost: redis pool exhausted",
    description: "Users logged out, sessions-redis pool exhausted, timeout waiting for connection",
    category: "Software",
    priority: "P2",
    team: "platform-team",
    service: "sessions-redis",
    resolution: "Failed over sessions-redis to the replica",
    opened_at: "2026-05-20T12:00:00Z",
    resolved_at: "2026-05-20T13:00:00Z",
  },
  {
    id: "INC103",
    title: "Printer on floor 3 jams",
    description: "The printer jams on every job",
    category: "Hardware",
    priority: "P4",
    team: "workplace",
    resolution: "Replaced the fuser",
    opened_at: "2026-03-01T08:00:00Z",
  },
  {
    id: "INC104",
    title: "Checkout 503 after release",
    description:
      "received from: ops@example.com\n\nCheckout returns 503 after the deploy, readiness probe failing\n\nThanks,\nOps",
    category: "Software",
    priority: "P1",
    team: "payments-team",
    service: "checkout-api",
    resolution: "Rolled back the checkout-api deployment",
    opened_at: "2026-01-05T14:10:00Z",
    resolved_at: "2026-01-05T14:40:00Z",
  },
];

/** A 200's lists, or a 400's error. */
type SimilarBody = SimilarResponse & {
  error: { code: string; details: { field: string }[] };
};

describe("POST /v1/similar", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await writeFiles(app.kbDir, {
      "tickets/history.jsonl": `${history.map((ticket) => JSON.stringify(ticket)).join("\n")}\n`,
    });
    // Tickets arriving after the server opened the index are served without a restart.
    await app.ingest();
  });
  afterAll(() => app.close());

  const similar = async (body: unknown) => {
    const response = await fetch(`${app.baseUrl}/v1/similar`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as SimilarBody };
  };

  it("counts the past tickets on /readyz", async () => {
    const ready = (await (await fetch(`${app.baseUrl}/readyz`)).json()) as { tickets: number };
    expect(ready.tickets).toBe(history.length);
  });

  it("returns the most alike past tickets with their resolution, dates and labels, and folds near-duplicates", async () => {
    const { status, body } = await similar({
      ticket: {
        title: "cart is slow",
        description: "Timeout waiting for connection from pool in cart-service logs",
        service: "cart-service",
      },
      topK: 3,
    });
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(["tickets", "incidents"]);
    const [first, ...rest] = body.tickets;
    expect(first).toEqual({
      kind: "ticket",
      id: expect.stringMatching(/^INC10[01]$/),
      title: "Redis pool exhausted on cart",
      resolution: expect.stringMatching(/^Raised maxTotal to 64 and restarted the cart pods\.?$/),
      openedAt: expect.any(String),
      resolvedAt: expect.any(String),
      labels: {
        category: "Software",
        priority: expect.any(String),
        team: "cart-team",
        service: "cart-service",
      },
      score: expect.any(Number),
      duplicates: [first?.id === "INC100" ? "INC101" : "INC100"],
    });
    expect(rest.map((ticket: { id: string }) => ticket.id)).toContain("INC102");
    expect(rest.map((ticket: { id: string }) => ticket.id)).not.toContain("INC103");
    const scores = body.tickets.map((ticket: { score: number }) => ticket.score);
    expect([...scores].sort((left, right) => right - left)).toEqual(scores);
  });

  it("finds incident writeups too, with root cause and resolution, and leaves the ticket itself out", async () => {
    const { body } = await similar({
      ticket: {
        id: "INC104",
        title: "Checkout returns 503 after the release",
        description: "readiness probe failing on checkout-api\n\nKind regards,\nJane",
      },
    });
    expect(body.tickets.map((ticket: { id: string }) => ticket.id)).not.toContain("INC104");
    expect(body.incidents[0]).toEqual({
      kind: "incident",
      id: "incidents/2026-01-05-checkout-outage.md",
      title: "Checkout outage after a bad release",
      rootCause: "A release removed the readiness endpoint",
      resolution: "Rolled back the deployment",
      date: "2026-01-05",
      labels: { category: null, priority: null, team: null, service: "checkout-api" },
      score: expect.any(Number),
      sectionId: expect.any(String),
    });
    expect(body.incidents.every((incident: { kind: string }) => incident.kind === "incident")).toBe(
      true,
    );
  });

  it.each([
    [{ services: "sessions-redis" }, ["INC102"]],
    // INC100 and INC101 fold into one, whichever scores higher.
    [{ teams: ["Cart-Team"] }, ["INC100 or INC101"]],
    [{ since: "2026-04-02", until: "2026-04-02" }, ["INC100 or INC101"]],
    [{ since: "2026-05-01T00:00:00+02:00" }, ["INC102"]],
    [{ until: "2026-02-28" }, ["INC100 or INC101"]],
  ])("narrows past tickets by %j", async (filters, ids) => {
    const { status, body } = await similar({
      ticket: { title: "redis pool exhausted, timeout waiting for connection" },
      filters,
    });
    expect(status).toBe(200);
    const folded = (id: string) => (/^INC10[01]$/.test(id) ? "INC100 or INC101" : id);
    expect(body.tickets.map((ticket: { id: string }) => folded(ticket.id))).toEqual(ids);
  });

  it("filters incident writeups by date and team as well", async () => {
    const ticket = { title: "checkout 503 readiness probe" };
    expect((await similar({ ticket })).body.incidents).not.toEqual([]);
    expect((await similar({ ticket, filters: { since: "2026-02-01" } })).body.incidents).toEqual(
      [],
    );
    expect((await similar({ ticket, filters: { teams: "payments-team" } })).body.incidents).toEqual(
      [],
    );
  });

  it.each([
    [{}, "ticket"],
    [{ ticket: { service: "cart-service" } }, "ticket"],
    [{ ticket: { title: "x" }, filters: { since: "last week" } }, "filters.since"],
    [{ ticket: { title: "x" }, topK: 50 }, "topK"],
    [{ ticket: { title: "x" }, filters: { owner: "me" } }, "filters.owner"],
  ])("refuses %j with 400 naming the field", async (request, field) => {
    const { status, body } = await similar(request);
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
  });
});

describe("POST /v1/similar without tickets", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it("answers with no past tickets and the incident writeups", async () => {
    const response = await fetch(`${app.baseUrl}/v1/similar`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ticket: { title: "checkout 503 after a release" } }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { tickets: unknown[]; incidents: { id: string }[] };
    expect(body.tickets).toEqual([]);
    expect(body.incidents.map((incident) => incident.id)).toEqual([
      "incidents/2026-01-05-checkout-outage.md",
    ]);
  });
});

describe("POST /v1/similar with shorthand", () => {
  let app: TestApp;
  const tickets = [
    {
      id: "INC200",
      title: "Persistent volume claim full on the kubernetes cluster",
      description: "The persistent volume claim of the build cache reached 100%",
      category: "Software",
      priority: "P2",
      team: "platform-team",
      resolution: "Expanded the claim to 200Gi",
      opened_at: "2026-06-01T09:00:00Z",
    },
    {
      id: "INC201",
      title: "pvc full",
      description: "Disk full on the runner: the pvc of the runner is full again, full every week",
      category: "Software",
      priority: "P3",
      team: "ci-team",
      resolution: "Cleaned the runner's workspace",
      opened_at: "2026-06-02T09:00:00Z",
    },
  ];
  beforeAll(async () => {
    app = await startTestApp();
    await writeFiles(app.kbDir, {
      "tickets/history.jsonl": `${tickets.map((ticket) => JSON.stringify(ticket)).join("\n")}\n`,
    });
    await app.ingest();
  });
  afterAll(() => app.close());

  it("ranks first the past ticket that spells out what the new one abbreviates", async () => {
    const response = await fetch(`${app.baseUrl}/v1/similar`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ticket: { title: "k8s pvc full on the cluster" } }),
    });
    const body = (await response.json()) as { tickets: { id: string }[] };
    expect(body.tickets.map((ticket) => ticket.id)).toEqual(["INC200", "INC201"]);
  });
});
