import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { collectSse } from "../helpers/read-sse.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { writeFiles } from "../helpers/temp-dir.js";

describe("health, readiness and fresh data", () => {
  let app: TestApp;
  afterEach(() => app.close());

  it("reports alive on /healthz and the open index on /readyz", async () => {
    app = await startTestApp();
    expect(await (await fetch(`${app.baseUrl}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      documents: 5,
      chunks: expect.any(Number),
      tickets: 0,
      generation: 1,
      embedder: "offline:feature-hash-v1:384",
      mode: "extractive",
      chatModel: null,
    });
  });

  it("is not ready, and answers index_not_ready, before the first ingest", async () => {
    app = await startTestApp({ ingest: false });
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "not_ready" });
    const search = await fetch(`${app.baseUrl}/v1/search?q=rollback`);
    expect(search.status).toBe(503);
    expect(await search.json()).toMatchObject({ error: { code: "index_not_ready" } });
    const events = await collectSse(
      await fetch(`${app.baseUrl}/v1/ask`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question: "rollback?" }),
      }),
    );
    expect(events.map((event) => event.event)).toEqual(["error"]);
    expect(events[0]?.data).toMatchObject({ code: "index_not_ready" });
  });

  it("answers from re-ingested content without a restart", async () => {
    app = await startTestApp();
    const search = async () =>
      (
        (await (
          await fetch(
            `${app.baseUrl}/v1/search?q=${encodeURIComponent("zeppelin mooring mast")}&topK=1`,
          )
        ).json()) as {
          results: { path: string }[];
        }
      ).results[0]?.path;
    expect(await search()).not.toBe("runbooks/zeppelin.md");
    await writeFiles(app.kbDir, {
      "runbooks/zeppelin.md":
        "---\ntitle: Zeppelin mooring mast\n---\n# Zeppelin mooring mast\n\n## Remediation\n\nTie the zeppelin to the mooring mast.\n",
    });
    await rm(join(app.kbDir, "runbooks/certificate-expiry.md"));
    await app.ingest();
    let found: string | undefined;
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && found !== "runbooks/zeppelin.md") {
      found = await search();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(found).toBe("runbooks/zeppelin.md");
    const ready = (await (await fetch(`${app.baseUrl}/readyz`)).json()) as { documents: number };
    expect(ready.documents).toBe(5);
  });

  it("follows a --force rebuild to the new generation", async () => {
    app = await startTestApp();
    const { runIngest } = await import("../../src/ingest/run-ingest.js");
    const { createFeatureHashEmbedder } = await import("../../src/embed/feature-hash-embedder.js");
    await runIngest({
      kbDir: app.kbDir,
      index: app.index,
      embedder: createFeatureHashEmbedder(),
      force: true,
    });
    let generation = 0;
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && generation !== 2) {
      generation = ((await (await fetch(`${app.baseUrl}/readyz`)).json()) as { generation: number })
        .generation;
    }
    expect(generation).toBe(2);
    expect((await fetch(`${app.baseUrl}/v1/search?q=rollback`)).status).toBe(200);
  });

  it("answers 404 with the error shape for unknown routes", async () => {
    app = await startTestApp();
    const response = await fetch(`${app.baseUrl}/v2/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
