import { Socket } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createEmbedder } from "../../src/embed/create-embedder.js";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { createUseLiteEmbedder } from "../../src/embed/use-lite-embedder.js";
import { runIngest } from "../../src/ingest/run-ingest.js";
import { searchKb } from "../../src/retrieval/search-kb.js";
import { openKbIndex } from "../../src/store/kb-index.js";
import { createKbReader } from "../../src/store/kb-reader.js";
import { fixtureKbDir } from "../helpers/start-app.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const cosine = (left: Float32Array, right: Float32Array) =>
  left.reduce((total, value, index) => total + value * (right[index] ?? 0), 0);

// One embedder for the file: loading the model takes about a second.
const embedder = createUseLiteEmbedder({ batchSize: 4 });

describe("USE-lite embedder", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("loads the model from node_modules with the network cut off, and ranks paraphrases above unrelated text", async () => {
    const connect = vi.spyOn(Socket.prototype, "connect").mockImplementation(() => {
      throw new Error("network access during model load");
    });
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(() => {
      throw new Error("network access during model load");
    });
    const [query, paraphrase, unrelated] = (await embedder.embed([
      "restart the database",
      "reboot the postgres server",
      "update the billing address",
    ])) as [Float32Array, Float32Array, Float32Array];
    expect(connect).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();

    expect(embedder.id).toBe("offline:use-lite:512");
    expect(embedder.dimensions).toBe(512);
    for (const vector of [query, paraphrase, unrelated]) {
      expect(vector).toHaveLength(512);
      expect(cosine(vector, vector)).toBeCloseTo(1, 4);
    }
    expect(cosine(query, paraphrase)).toBeGreaterThan(cosine(query, unrelated) + 0.1);
  });

  it("returns one vector per text, in order, across batches", async () => {
    const texts = ["kafka consumer lag", "disk full on a node", "certificate expired", "oom", "x"];
    const together = await embedder.embed(texts);
    const alone = await embedder.embed(["certificate expired"]);
    expect(together).toHaveLength(5);
    expect(cosine(together[2] as Float32Array, alone[0] as Float32Array)).toBeCloseTo(1, 4);
  });

  it("stops between batches when the caller aborts", async () => {
    await expect(embedder.embed(["a"], { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
    const controller = new AbortController();
    const pending = embedder.embed(
      Array.from({ length: 200 }, (_, position) => `runbook step number ${position}`),
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    await expect(pending).rejects.toThrow(/abort/i);
    // 200 texts take seconds; stopping after the batch in flight takes a fraction of one.
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("is chosen by OFFLINE_EMBEDDER=use-lite", () => {
    expect(createEmbedder(loadConfig({ OFFLINE_EMBEDDER: "use-lite" }).embedding).id).toBe(
      "offline:use-lite:512",
    );
  });

  it("ingests and searches the fixture KB by meaning in LanceDB, and an index built by another embedder is refused", async () => {
    const root = await makeTempDir();
    const index = await openKbIndex(join(root, "db"), { readConsistencySeconds: 0 });
    try {
      const summary = await runIngest({ kbDir: fixtureKbDir, index, embedder });
      expect(summary.failed).toBe(0);
      expect(await index.readState()).toMatchObject({
        active: { embedderId: "offline:use-lite:512", dimensions: 512 },
      });

      const reader = createKbReader(index, { embedder, refreshMs: 0 });
      // The vector ranking alone (no BM25, no per-document evidence), with words the runbook does not use.
      const sources = await searchKb(
        {
          reader,
          embedder,
          tuning: { vectorWeight: 1, fullTextWeight: 0, documentEvidenceWeight: 0 },
        },
        { question: "the TLS cert on our CDN ran out", topK: 3 },
      );
      expect(sources[0]?.path).toBe("runbooks/certificate-expiry.md");

      const hash = createFeatureHashEmbedder();
      const failure = await runIngest({ kbDir: fixtureKbDir, index, embedder: hash }).catch(
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ code: "index_incompatible" });
      expect((failure as Error).message).toMatch(
        /offline:use-lite:512.*offline:feature-hash-v1:384/,
      );
      await expect(
        createKbReader(index, { embedder: hash, refreshMs: 0 }).snapshot(),
      ).rejects.toMatchObject({ code: "index_incompatible" });
    } finally {
      index.close();
    }
  });
});
