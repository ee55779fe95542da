import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAskClient } from "../../src/client/ask-client.js";
import type { ServiceEntry } from "../../src/contract/service-entry.js";
import type { SourceSummary } from "../../src/contract/source-summary.js";
import type { TriageResponse } from "../../src/contract/triage-response.js";
import { collectSse } from "../helpers/read-sse.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { writeFiles } from "../helpers/temp-dir.js";
import { ticketHistory } from "../helpers/ticket-history.js";
import { waitFor } from "../helpers/wait-for.js";

const catalogueText = (version: string, extra = "") => `version: "${version}"
services:
  - name: checkout-api
    aliases: [Checkout]
    description: Takes the basket to a paid order.
    owner: payments-team
    on_call: { rotation: payments-primary, contact: "#payments-oncall" }
    tier: 1
    dependencies: [orders-db]
    runbooks: [runbooks/rollback-deployment.md]
    dashboards: [https://grafana.example/d/checkout]
  - name: orders-db
    owner: data-team
    on_call: { rotation: data-primary }
    tier: 1
    runbooks: [runbooks/postgres-pool-exhausted.md]
  - name: cart-service
    aliases: [basket]
    owner: payments-team
    tier: 2
    runbooks: [runbooks/redis-pool-exhausted.md]
  - name: ledger-service
    aliases: [ledger]
    owner: payments-team
${extra}`;

const getJson = async (app: TestApp, path: string) => {
  const response = await fetch(`${app.baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const postJson = async (app: TestApp, path: string, body: unknown) => {
  const response = await fetch(`${app.baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
};

/** Writes the catalogue and waits until the app has read that version. */
async function writeCatalogue(app: TestApp, text: string, version: string): Promise<void> {
  await writeFile(join(app.kbDir, "services.yaml"), text);
  await waitFor(
    () =>
      app.logs.some(
        (log) => log.message === "service catalogue loaded" && log.fields?.version === version,
      ),
    `service catalogue ${version}`,
  );
}

describe("GET /v1/services and /v1/services/:name", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it("says the KB has no catalogue until it has one", async () => {
    expect(await getJson(app, "/v1/services")).toEqual({
      status: 200,
      body: { version: null, services: [] },
    });
    const unknown = await getJson(app, "/v1/services/checkout-api");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      code: "unknown_service",
      message: expect.stringContaining("the knowledge base has no service catalogue"),
    });
  });

  it("returns an entry by name or alias, ignoring case, and 404 unknown_service naming the service", async () => {
    await writeCatalogue(app, catalogueText("1"), "1");
    const byName = await getJson(app, "/v1/services/checkout-api");
    expect(byName).toEqual({
      status: 200,
      body: {
        name: "checkout-api",
        aliases: ["Checkout"],
        description: "Takes the basket to a paid order.",
        owner: "payments-team",
        onCall: { rotation: "payments-primary", contact: "#payments-oncall" },
        tier: 1,
        dependencies: ["orders-db"],
        runbooks: ["runbooks/rollback-deployment.md"],
        dashboards: ["https://grafana.example/d/checkout"],
      },
    });
    expect(await getJson(app, "/v1/services/CHECKOUT")).toEqual(byName);

    const unknown = await getJson(app, "/v1/services/billing%20engine");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({
      code: "unknown_service",
      message:
        'No service named "billing engine" in the service catalogue (services.yaml, version 1); GET /v1/services lists them',
      details: { service: "billing engine" },
    });

    const list = await getJson(app, "/v1/services");
    expect(list.body.version).toBe("1");
    expect((list.body.services as ServiceEntry[]).map((service) => service.name)).toEqual([
      "checkout-api",
      "orders-db",
      "cart-service",
      "ledger-service",
    ]);
  });

  it("serves an edit within a second, and keeps the previous catalogue when an edit breaks it", async () => {
    await writeCatalogue(
      app,
      catalogueText("2", "  - name: sessions-redis\n    owner: sre\n"),
      "2",
    );
    expect((await getJson(app, "/v1/services/sessions-redis")).body.owner).toBe("sre");

    await writeFile(
      join(app.kbDir, "services.yaml"),
      catalogueText(
        "3",
        "  - name: search\n    owner: data-team\n    dependencies: [opensearch]\n",
      ),
    );
    await waitFor(
      () => app.logs.some((log) => log.message.startsWith("service catalogue not loaded")),
      "the broken catalogue to be reported",
    );
    const warning = app.logs.find((log) => log.message.startsWith("service catalogue not loaded"));
    expect(warning?.fields).toMatchObject({
      path: join(app.kbDir, "services.yaml"),
      keptVersion: "2",
      reason: expect.stringContaining(
        'services.4 (search).dependencies.0: "opensearch" names no service of the catalogue',
      ),
    });
    expect((await getJson(app, "/v1/services")).body.version).toBe("2");
    expect((await getJson(app, "/v1/services/search")).status).toBe(404);
  });

  it("is read through the typed client, errors as values", async () => {
    await writeCatalogue(app, catalogueText("4"), "4");
    const client = createAskClient({ baseUrl: app.baseUrl });
    const found = await client.service("Checkout");
    expect(found.ok && found.data.owner).toBe("payments-team");
    const missing = await client.service("billing");
    expect(missing).toMatchObject({ ok: false, error: { code: "unknown_service", status: 404 } });
    const all = await client.services();
    expect(all.ok && all.data.services).toHaveLength(4);
  });
});

describe("the catalogue in answers, search and triage", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await writeFiles(app.kbDir, { "tickets/history.jsonl": ticketHistory(60) });
    await app.ingest();
  });
  afterAll(() => app.close());

  const ask = async (body: unknown) => {
    const response = await fetch(`${app.baseUrl}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const events = await collectSse(response);
    const first = events[0];
    if (first?.event !== "sources") throw new Error("the stream did not start with sources");
    const sources = (first.data as { sources: SourceSummary[] }).sources;
    const answer = events
      .filter((event) => event.event === "delta")
      .map((event) => event.data.text as string)
      .join("");
    const done = events.at(-1)?.data as { citations: number[]; finishReason: string };
    return { sources, answer, done };
  };

  const triage = (ticket: unknown) =>
    postJson(app, "/v1/triage", { ticket }) as Promise<TriageResponse>;

  it("adds the ticket's service to the sources after the documents, with its owner and on-call in the answer", async () => {
    await writeCatalogue(app, catalogueText("1"), "1");
    const { sources, answer, done } = await ask({
      question: "how do I roll back?",
      ticket: { title: "503s after the release", service: "checkout" },
    });
    const service = sources.at(-1) as SourceSummary;
    expect(sources.slice(0, -1).every((source) => source.kind !== "service")).toBe(true);
    expect(service).toMatchObject({
      n: sources.length,
      id: "checkout-api",
      path: "services.yaml",
      title: "checkout-api",
      kind: "service",
      services: ["checkout-api"],
      snippet:
        "checkout-api is owned by payments-team; on call: payments-primary (#payments-oncall); tier 1.",
      service: { name: "checkout-api", dashboards: ["https://grafana.example/d/checkout"] },
    });
    expect(answer).toContain(
      `checkout-api is owned by payments-team; on call: payments-primary (#payments-oncall); tier 1 [${service.n}].`,
    );
    expect(done.citations).toContain(service.n);
  });

  it("finds the service a ticket names in its title, and adds none without a ticket", async () => {
    const named = await ask({
      question: "what do I do?",
      ticket: { title: "orders-db refuses connections" },
    });
    expect(named.sources.filter((source) => source.kind === "service")).toMatchObject([
      {
        id: "orders-db",
        snippet: "orders-db is owned by data-team; on call: data-primary; tier 1.",
      },
    ]);
    const bare = await ask({ question: "how do I roll back checkout-api?" });
    expect(bare.sources.some((source) => source.kind === "service")).toBe(false);
  });

  it("favours the runbooks the catalogue lists for the ticket's service, named by an alias", async () => {
    const first = async (service: string) => {
      const body = await postJson(app, "/v1/search", {
        question: "connection pool exhausted, clients waiting",
        ticket: { service },
        topK: 3,
      });
      return (body.results as { path: string }[])[0]?.path;
    };
    expect(await first("basket")).toBe("runbooks/redis-pool-exhausted.md");
    expect(await first("orders-db")).toBe("runbooks/postgres-pool-exhausted.md");
  });

  it("gives an ambiguous ticket to the team that owns its service, and says the catalogue did", async () => {
    const ticket = { title: "stopped working since this morning", service: "ledger" };
    const before = await triage({ ...ticket, service: "unlisted" });
    // The words lean to data-team, unsure: the catalogue's owner should decide.
    expect(before.team).toMatchObject({
      label: "data-team",
      reason: expect.not.stringMatching(/catalogue/),
    });
    expect(before.team?.confidence).toBeLessThan(0.8);

    const after = await triage(ticket);
    expect(after.team).toEqual({
      label: "payments-team",
      confidence: 0.9,
      reason: "the service catalogue: payments-team owns ledger-service",
    });
  });
});
