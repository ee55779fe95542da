import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { runIngest } from "../../src/ingest/run-ingest.js";
import { openKbIndex } from "../../src/store/kb-index.js";
import { deleteIndexFiles, truncateDataFiles } from "../helpers/damage-index.js";
import { collectSse } from "../helpers/read-sse.js";
import { fixtureKbDir, startTestApp, type TestApp } from "../helpers/start-app.js";
import { makeTempDir, writeFiles } from "../helpers/temp-dir.js";

/** An index of the fixture KB, built and closed, so that a server opens it from its files. */
async function builtIndex(): Promise<string> {
  const db = join(await makeTempDir(), "db");
  const index = await openKbIndex(db);
  await runIngest({ kbDir: fixtureKbDir, index, embedder: createFeatureHashEmbedder() });
  index.close();
  return db;
}

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
      swapGraceMs: 0,
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

  it.each([
    ["a truncated data file", truncateDataFiles],
    ["deleted index files", deleteIndexFiles],
  ])(
    "is not ready with %s, saying how to rebuild, and ready again after --force",
    async (_damage, damage) => {
      const db = await builtIndex();
      await damage(db, "chunks_g1");
      app = await startTestApp({ db, ingest: false });
      const ready = await fetch(`${app.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: "not_ready",
        code: "index_unreadable",
        reason: expect.stringContaining("npm run ingest -- --force"),
      });
      const search = await fetch(
        `${app.baseUrl}/v1/search?q=${encodeURIComponent("certificate expired")}`,
      );
      expect(search.status).toBe(503);
      expect(await search.json()).toMatchObject({ error: { code: "index_unreadable" } });

      const summary = await runIngest({
        kbDir: app.kbDir,
        index: app.index,
        embedder: createFeatureHashEmbedder(),
        force: true,
        swapGraceMs: 0,
      });
      expect(summary).toMatchObject({ rebuilt: true, generation: 2, failed: 0 });
      const healed = await fetch(`${app.baseUrl}/readyz`);
      expect(healed.status).toBe(200);
      expect(await healed.json()).toMatchObject({ status: "ready", generation: 2, documents: 5 });
      expect((await fetch(`${app.baseUrl}/v1/search?q=rollback`)).status).toBe(200);
    },
  );

  it("answers 404 with the error shape for unknown routes", async () => {
    app = await startTestApp();
    const response = await fetch(`${app.baseUrl}/v2/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
