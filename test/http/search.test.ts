import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { writeFiles } from "../helpers/temp-dir.js";

describe("/v1/search", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const post = (body: unknown) =>
    fetch(`${app.baseUrl}/v1/search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const paths = async (response: Response) =>
    ((await response.json()) as { results: { path: string }[] }).results.map(
      (result) => result.path,
    );

  it("answers GET ?q=&topK= with results best first, carrying the contract's fields", async () => {
    const response = await fetch(
      `${app.baseUrl}/v1/search?q=${encodeURIComponent("roll back the checkout deployment")}&topK=3`,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: Record<string, unknown>[] };
    expect(Object.keys(body)).toEqual(["results"]);
    expect(body.results).toHaveLength(3);
    expect(body.results[0]).toMatchObject({
      path: "runbooks/rollback-deployment.md",
      title: "Roll back a failed deployment",
      kind: "runbook",
    });
    // Exactly the contract's fields: a section's place in its document stays internal.
    for (const result of body.results) {
      expect(Object.keys(result).sort()).toEqual(
        ["headingPath", "id", "kind", "n", "path", "score", "services", "text", "title"].sort(),
      );
    }
    const scores = body.results.map((result) => result.score as number);
    expect([...scores].sort((left, right) => right - left)).toEqual(scores);
  });

  it("takes the /v1/ask body on POST", async () => {
    const response = await post({ question: "certificate expired on the CDN", topK: 2 });
    expect(response.status).toBe(200);
    expect((await paths(response))[0]).toBe("runbooks/certificate-expiry.md");
  });

  it("lets the ticket's service decide between look-alike runbooks", async () => {
    const question = "connection pool exhausted, what do I do?";
    const cart = await post({
      question,
      ticket: { title: "Cart errors", service: "cart-service" },
      topK: 3,
    });
    const checkout = await post({
      question,
      ticket: { title: "Checkout errors", service: "orders-db" },
      topK: 3,
    });
    expect((await paths(cart))[0]).toBe("runbooks/redis-pool-exhausted.md");
    expect((await paths(checkout))[0]).toBe("runbooks/postgres-pool-exhausted.md");
  });

  it("uses error strings from pasted logs", async () => {
    const response = await post({
      question: "what is going on?",
      ticket: {
        logs: "2026-03-01T10:00:00Z INFO request ok\n2026-03-01T10:00:01Z ERROR ERR max number of clients reached\n",
      },
      topK: 1,
    });
    expect(await paths(response)).toEqual(["runbooks/redis-pool-exhausted.md"]);
  });

  it.each([
    [{ kind: ["incident"] }, (path: string) => path.startsWith("incidents/")],
    [{ services: ["cdn"] }, (path: string) => path === "runbooks/certificate-expiry.md"],
    [{ tags: ["postgres", "redis"] }, (path: string) => path.includes("pool-exhausted")],
  ])("applies filters %j inside the search", async (filters, allowed) => {
    const found = await paths(
      await post({ question: "checkout rollback pool certificate", filters, topK: 10 }),
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found.every(allowed)).toBe(true);
  });

  it("returns no more than two sections of one document", async () => {
    const found = await paths(
      await post({ question: "roll back checkout deployment pods revision", topK: 10 }),
    );
    const counts = new Map<string, number>();
    for (const path of found) counts.set(path, (counts.get(path) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
  });

  it("joins the chunks of a long section so numbered steps arrive whole", async () => {
    const response = await post({ question: "how do I roll back checkout-api", topK: 5 });
    const body = (await response.json()) as {
      results: { path: string; headingPath: string[]; text: string }[];
    };
    const remediation = body.results.find(
      (result) =>
        result.path === "runbooks/rollback-deployment.md" &&
        result.headingPath[0] === "Remediation",
    );
    expect(remediation).toBeDefined();
    const steps = remediation?.text.match(/^\d+\. /gm) ?? [];
    expect(steps).toEqual(["1. ", "2. ", "3. ", "4. ", "5. ", "6. ", "7. ", "8. "]);
    expect(remediation?.text).toContain(
      "kubectl --context prod-eu-1 -n checkout rollout history deployment/checkout-api",
    );
  });

  it.each([
    ["a missing question", { topK: 3 }, "question"],
    ["a blank question", { question: "   " }, "question"],
    ["topK out of range", { question: "x", topK: 0 }, "topK"],
    ["an unknown field", { question: "x", colour: "red" }, "colour"],
    [
      "an overlong ticket title",
      { question: "x", ticket: { title: "t".repeat(600) } },
      "ticket.title",
    ],
    ["a wrong filter type", { question: "x", filters: { kind: 3 } }, "filters.kind"],
  ])("rejects %s with a 400 naming the field", async (_name, body, field) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const payload = (await response.json()) as {
      error: { code: string; message: string; details: { field: string }[] };
    };
    expect(payload.error.code).toBe("invalid_request");
    expect(payload.error.details.map((detail) => detail.field).join(" ")).toContain(field);
    expect(payload.error.message).toContain(field);
  });

  it("rejects a body that is not JSON, and one over the size limit", async () => {
    const notJson = await post("{question:");
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(
      /not valid JSON/,
    );
    const huge = await post({ question: "x".repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe(
      "payload_too_large",
    );
  });

  it("treats query syntax in the question as plain words", async () => {
    const response = await post({
      question: 'pool AND "exhausted" OR (NOT redis*) ~2 +x -y \\ : [',
    });
    expect(response.status).toBe(200);
  });
});

describe("/v1/search with vector search on", () => {
  it("finds sections through the vector index when that ranking counts, typos included", async () => {
    const vectorOnly = await startTestApp({ tuning: { vectorWeight: 1, fullTextWeight: 0 } });
    try {
      const response = await fetch(
        `${vectorOnly.baseUrl}/v1/search?q=${encodeURIComponent("certficate expird on the cdn")}&topK=1`,
      );
      const body = (await response.json()) as { results: { path: string }[] };
      expect(body.results.map((result) => result.path)).toEqual(["runbooks/certificate-expiry.md"]);
    } finally {
      await vectorOnly.close();
    }
  });
});

describe("/v1/search over frontmatter", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ingest: false });
    await writeFiles(app.kbDir, {
      "incidents/2026-06-02-checkout-slow.md": [
        "---",
        "title: Checkout slow for 40 minutes",
        "root_cause: a feature flag turned on synchronous fraud scoring for every basket",
        "resolution: switched the flag off",
        "postmortem_owner_team: Risk engineering",
        "source_url: https://wiki.example/pm/2026-06-02",
        "---",
        "# Checkout slow for 40 minutes",
        "",
        "## Summary",
        "",
        "Checkout p99 rose to 4 s at 14:05 and recovered at 14:45.",
        "",
        "## Timeline",
        "",
        "14:05 paged. 14:40 change found. 14:45 recovered.",
      ].join("\n"),
      "runbooks/feature-flags.md": [
        "---",
        "title: Turn a feature flag off",
        "---",
        "# Turn a feature flag off",
        "",
        "## Steps",
        "",
        "1. Find the feature flag in the flag service; fraud scoring flags start with `fraud_`.",
        "2. Switch it off and watch the checkout dashboard.",
      ].join("\n"),
    });
    await app.ingest();
  });
  afterAll(() => app.close());

  const firstPath = async (question: string) => {
    const response = await fetch(
      `${app.baseUrl}/v1/search?q=${encodeURIComponent(question)}&topK=3`,
    );
    const body = (await response.json()) as { results: { path: string }[] };
    return body.results[0]?.path;
  };

  it("finds first the incident whose root cause, written only in its frontmatter, the question describes", async () => {
    expect(await firstPath("has synchronous fraud scoring ever slowed checkout?")).toBe(
      "incidents/2026-06-02-checkout-slow.md",
    );
  });

  it("searches unknown frontmatter text fields, but not links", async () => {
    expect(await firstPath("risk engineering postmortem")).toBe(
      "incidents/2026-06-02-checkout-slow.md",
    );
    const response = await fetch(`${app.baseUrl}/v1/search?q=wiki.example&topK=10`);
    const body = (await response.json()) as { results: { path: string }[] };
    expect(body.results.map((result) => result.path)).not.toContain(
      "incidents/2026-06-02-checkout-slow.md",
    );
  });
});
