import { afterEach, describe, expect, it } from "vitest";
import { generateKb } from "../../scripts/generate-kb.js";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { type IngestOptions, runIngest } from "../../src/ingest/run-ingest.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

/**
 * Servers refresh their view of the index every 500 ms here (the default is 1000); a --force rebuild swaps generations
 * under them. Every request made meanwhile must succeed.
 */
describe("generation swaps under running servers", () => {
  let app: TestApp;
  afterEach(() => app.close());

  const questions = ["rollback deployment", "certificate expired", "disk full", "redis pool"];

  /** Requests in a loop, a few at a time, until stopped; returns what failed. */
  function queryContinuously(concurrency = 3) {
    let running = true;
    let requests = 0;
    const failures: string[] = [];
    const loop = async (offset: number) => {
      for (let turn = offset; running; turn++) {
        const question = questions[turn % questions.length] as string;
        const response = await fetch(
          `${app.baseUrl}/v1/search?q=${encodeURIComponent(question)}&topK=3`,
        );
        requests++;
        if (response.status !== 200) failures.push(`${response.status} ${await response.text()}`);
        else await response.arrayBuffer();
      }
    };
    const loops = Array.from({ length: concurrency }, (_, offset) => loop(offset));
    return {
      requests: () => requests,
      async stop() {
        running = false;
        await Promise.all(loops);
        return failures;
      },
    };
  }

  const rebuild = (options: Partial<IngestOptions> = {}) =>
    runIngest({
      kbDir: app.kbDir,
      index: app.index,
      embedder: createFeatureHashEmbedder(),
      force: true,
      // Small batches, so that a rebuild takes many commits and readers run through all of them.
      batchChunks: 40,
      // Longer than two refresh intervals and a query.
      swapGraceMs: 1_500,
      ...options,
    });

  const waitForRequests = async (load: ReturnType<typeof queryContinuously>, count: number) => {
    const target = load.requests() + count;
    while (load.requests() < target) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it("serves every request while --force rebuilds, keeps the old generation for the grace, then drops it", async () => {
    app = await startTestApp({ config: { indexRefreshMs: 500 } });
    await generateKb(app.kbDir, { documents: 60 });
    await app.ingest();
    const load = queryContinuously();
    await waitForRequests(load, 10);
    const summary = await rebuild();
    expect(summary).toMatchObject({ rebuilt: true, generation: 2 });
    await waitForRequests(load, 10);
    expect(await load.stop()).toEqual([]);
    const state = await app.index.readState();
    expect(state).toMatchObject({ active: { number: 2 }, building: null, retired: [] });
    const tables = await app.index.connection.tableNames();
    expect(tables.filter((name) => name.endsWith("_g1"))).toEqual([]);
  });

  it("serves every request while a killed --force is resumed, by a plain run and by --force again", async () => {
    app = await startTestApp({ config: { indexRefreshMs: 500 } });
    await generateKb(app.kbDir, { documents: 60 });
    await app.ingest();
    const load = queryContinuously();
    for (const resume of [{ force: false }, { force: true }]) {
      const controller = new AbortController();
      let batches = 0;
      await expect(
        rebuild({
          signal: controller.signal,
          onProgress: (progress) => {
            // Killed half-way through writing the new generation.
            if (progress.phase === "writing" && ++batches === 2) controller.abort();
          },
        }),
      ).rejects.toThrow();
      const pending = await app.index.readState();
      expect(pending.building).not.toBeNull();
      await waitForRequests(load, 5);
      const summary = await rebuild(resume);
      expect(summary.rebuilt).toBe(true);
      await waitForRequests(load, 5);
    }
    expect(await load.stop()).toEqual([]);
    expect(await app.index.readState()).toMatchObject({ building: null, retired: [] });
  });

  it("records the old generation when a run stops during the grace, and the next run drops it", async () => {
    app = await startTestApp();
    const controller = new AbortController();
    const summary = await rebuild({
      swapGraceMs: 60_000,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.phase === "retiring") controller.abort();
      },
    });
    expect(summary).toMatchObject({ rebuilt: true, generation: 2 });
    const kept = await app.index.readState();
    const old = kept.retired[0]?.generation;
    if (!old) throw new Error("no retired generation recorded");
    expect(old.number).toBe(1);
    expect(await app.index.chunkTable(old)).toBeDefined();
    // Within the grace, later runs keep it.
    await app.ingest();
    expect((await app.index.readState()).retired).toHaveLength(1);

    await app.index.writeState({
      ...kept,
      retired: kept.retired.map((entry) => ({ ...entry, dropAfter: new Date(0).toISOString() })),
    });
    await app.ingest();
    expect((await app.index.readState()).retired).toEqual([]);
    expect(await app.index.chunkTable(old)).toBeUndefined();
  });

  it("retries a query that races the drop of its generation on the new one", async () => {
    // Servers that look at the state every 3 s, and a rebuild that keeps nothing for them.
    app = await startTestApp({ config: { indexRefreshMs: 3_000 } });
    await generateKb(app.kbDir, { documents: 60 });
    await app.ingest();
    const load = queryContinuously();
    await waitForRequests(load, 10);
    // No grace at all: the server still holding the old generation finds its tables gone.
    for (let round = 0; round < 2; round++) {
      await rebuild({ swapGraceMs: 0 });
      await waitForRequests(load, 10);
    }
    expect(await load.stop()).toEqual([]);
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(await ready.json()).toMatchObject({ status: "ready", generation: 3 });
  });
});
