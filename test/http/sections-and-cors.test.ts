import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

describe("/v1/sections/:id", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it("shows the whole section a cited source came from", async () => {
    const search = (await (
      await fetch(
        `${app.baseUrl}/v1/search?q=${encodeURIComponent("how do I roll back checkout-api")}&topK=5`,
      )
    ).json()) as { results: { id: string; path: string; headingPath: string[]; text: string }[] };
    const cited = search.results.find((result) => result.headingPath[0] === "Remediation");
    expect(cited).toBeDefined();
    const response = await fetch(`${app.baseUrl}/v1/sections/${cited?.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: cited?.id,
      path: cited?.path,
      title: "Roll back a failed deployment",
      headingPath: ["Remediation"],
      kind: "runbook",
      services: ["checkout-api", "prod-eu-1"],
      text: cited?.text,
    });
  });

  it("answers 404 for an unknown id and 400 for something that is not an id", async () => {
    const unknown = await fetch(`${app.baseUrl}/v1/sections/${"0".repeat(24)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
    const bad = await fetch(`${app.baseUrl}/v1/sections/${encodeURIComponent("x' OR '1'='1")}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: "invalid_request", details: [{ field: "id" }] },
    });
  });
});

describe("CORS", () => {
  let open: TestApp;
  let closed: TestApp;
  beforeAll(async () => {
    open = await startTestApp({ config: { corsOrigins: ["https://portal.example"] } });
    closed = await startTestApp();
  });
  afterAll(async () => {
    await open.close();
    await closed.close();
  });

  const searchFrom = (app: TestApp, origin: string) =>
    fetch(`${app.baseUrl}/v1/search?q=rollback`, { headers: { origin } });

  it("allows an allowlisted portal origin and no other", async () => {
    const allowed = await searchFrom(open, "https://portal.example");
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://portal.example");
    expect(allowed.headers.get("access-control-expose-headers")).toContain("x-request-id");
    const refused = await searchFrom(open, "https://evil.example");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers the preflight of a cross-origin POST for allowed origins only", async () => {
    const preflight = (app: TestApp, origin: string) =>
      fetch(`${app.baseUrl}/v1/ask`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
    const allowed = await preflight(open, "https://portal.example");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://portal.example");
    expect(allowed.headers.get("access-control-allow-methods")).toContain("POST");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("content-type");
    const refused = await preflight(open, "https://evil.example");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows no origin by default", async () => {
    const response = await searchFrom(closed, "https://portal.example");
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("reads CORS_ORIGINS as a comma-separated list of origins, rejecting paths", () => {
    expect(
      loadConfig({ CORS_ORIGINS: " https://a.example, http://b.example:8080 " }).server.corsOrigins,
    ).toEqual(["https://a.example", "http://b.example:8080"]);
    expect(loadConfig({}).server.corsOrigins).toEqual([]);
    expect(() => loadConfig({ CORS_ORIGINS: "https://a.example/portal" })).toThrow(/CORS_ORIGINS/);
    // Not a URL at all: a settings error naming it, not a TypeError from deep inside.
    expect(() => loadConfig({ CORS_ORIGINS: "nope" })).toThrow(
      /Invalid settings[\s\S]*CORS_ORIGINS/,
    );
  });
});
