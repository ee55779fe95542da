import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

const adminKey = "admin-key-0123456789abcdef";
const portalKey = "portal-key-0123456789abcdef";

describe("/v1/admin/ingest", () => {
  let app: TestApp;
  afterEach(async () => {
    await app?.close();
  });

  const call = (method: string, key?: string) =>
    fetch(`${app.baseUrl}/v1/admin/ingest`, {
      method,
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });

  it("does not exist without ADMIN_API_KEY", async () => {
    app = await startTestApp({ adminIngest: true });
    expect((await call("POST", adminKey)).status).toBe(404);
  });

  it("re-ingests with the admin key alone, answers the --json summary, and shows the last run", async () => {
    app = await startTestApp({
      adminIngest: true,
      config: { adminApiKey: adminKey, apiKeys: [{ name: "portal", key: portalKey }] },
    });
    expect(await (await call("GET", adminKey)).json()).toEqual({ status: "never_run" });
    expect((await call("POST")).status).toBe(401);
    // An API key is not the admin key.
    expect((await call("POST", portalKey)).status).toBe(401);

    await writeFile(
      join(app.kbDir, "runbooks", "new-runbook.md"),
      "---\ntitle: Drain a node\n---\n# Drain a node\n\n## Steps\n\n1. kubectl drain node-1\n",
    );
    const response = await call("POST", adminKey);
    expect(response.status).toBe(200);
    const summary = await response.json();
    expect(summary).toMatchObject({ added: 1, failed: 0, failures: [] });
    expect(await (await call("GET", adminKey)).json()).toMatchObject({
      status: "succeeded",
      summary: { added: 1 },
    });
    // The new runbook is served at once.
    const search = await fetch(`${app.baseUrl}/v1/search?question=drain+a+node`, {
      headers: { authorization: `Bearer ${portalKey}` },
    });
    expect((await search.json()).results[0]).toMatchObject({ title: "Drain a node" });
  });

  it("runs one ingest at a time: a second call meanwhile is 409 index_busy", async () => {
    app = await startTestApp({ adminIngest: true, config: { adminApiKey: adminKey } });
    const [first, second] = await Promise.all([call("POST", adminKey), call("POST", adminKey)]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const busy = first.status === 409 ? first : second;
    expect(await busy.json()).toMatchObject({ error: { code: "index_busy" } });
  });
});

describe("admin and read-only settings", () => {
  it("refuses a short ADMIN_API_KEY without repeating it, and reads INGEST_ON_START", () => {
    expect(() => loadConfig({ ADMIN_API_KEY: "short-one" })).toThrow(
      /ADMIN_API_KEY: must be at least 16 characters/,
    );
    expect(() => loadConfig({ ADMIN_API_KEY: "short-one" })).not.toThrow(/short-one/);
    expect(loadConfig({}).ingestOnStart).toBe(true);
    expect(loadConfig({ INGEST_ON_START: "false" }).ingestOnStart).toBe(false);
  });
});
