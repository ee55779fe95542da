import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { runIngest } from "../../src/ingest/run-ingest.js";
import { searchKb } from "../../src/retrieval/search-kb.js";
import { type KbIndex, openKbIndex } from "../../src/store/kb-index.js";
import { createKbReader } from "../../src/store/kb-reader.js";
import { objectStoreOptions } from "../helpers/object-store-env.js";
import { startS3TestServer } from "../helpers/s3-server.js";
import { fixtureKbDir } from "../helpers/start-app.js";

/** What a full-text search returned, comparable across readers. */
const hitsOf = (
  hits: { item: { id: string; docPath: string; chunkIndex: number }; score: number }[],
) => hits.map(({ item, score }) => ({ ...item, score }));

describe("full-text search reading rows it remembers", () => {
  const embedder = createFeatureHashEmbedder();
  let root: string;
  let kbDir: string;
  let index: KbIndex | undefined;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "kb-answers-row-ids-"));
    kbDir = join(root, "kb");
    await cp(fixtureKbDir, kbDir, { recursive: true });
  });
  afterEach(async () => {
    index?.close();
    index = undefined;
    await rm(root, { recursive: true, force: true });
  });

  it("reads no table data from an object store once the rows a search finds are remembered", async () => {
    const s3 = await startS3TestServer();
    try {
      index = await openKbIndex("s3://kb/index", { storageOptions: objectStoreOptions(s3) });
      await runIngest({ kbDir, index, embedder });
      const reader = createKbReader(index, { embedder, refreshMs: 60_000 });
      const snapshot = await reader.snapshot();
      const question = "connection pool exhausted";
      const first = await snapshot.fullTextCandidates(question, { limit: 10 });
      expect(first.length).toBeGreaterThan(0);
      s3.resetCounts();
      const again = await snapshot.fullTextCandidates(question, { limit: 10 });
      expect(hitsOf(again)).toEqual(hitsOf(first));
      expect(Object.fromEntries(s3.counts)).toEqual({});
      // The same hits as a reader that remembers nothing, which reads the rows with the search.
      const uncached = await createKbReader(index, { embedder, cacheBytes: 0 }).snapshot();
      expect(hitsOf(await uncached.fullTextCandidates(question, { limit: 10 }))).toEqual(
        hitsOf(first),
      );
    } finally {
      index?.close();
      index = undefined;
      await s3.close();
    }
  });

  it("finds what a fresh reader finds after an edit is ingested and the table compacted under it", async () => {
    // As a server opens it: later writes are seen at once, even by a snapshot taken before them.
    index = await openKbIndex(join(root, "db"), { readConsistencySeconds: 0 });
    await runIngest({ kbDir, index, embedder });
    const reader = createKbReader(index, { embedder, refreshMs: 60_000 });
    const snapshot = await reader.snapshot();
    const question = "certificate expired renew";
    await snapshot.fullTextCandidates(question, { limit: 20 });

    // An edit, ingested and compacted at once: the rows move, and so do their row ids.
    const file = join(kbDir, "runbooks/redis-pool-exhausted.md");
    const markdown = await readFile(file, "utf8");
    await writeFile(file, markdown.replace("## Symptoms", "## Symptoms\n\nThe pool is drained."));
    await runIngest({ kbDir, index, embedder, optimizeAfterRows: 0 });

    const fresh = await createKbReader(index, { embedder, cacheBytes: 0 }).snapshot();
    expect(hitsOf(await snapshot.fullTextCandidates(question, { limit: 20 }))).toEqual(
      hitsOf(await fresh.fullTextCandidates(question, { limit: 20 })),
    );
  });

  it("prewarmed, answers a question nobody asked yet without reading table data from the object store", async () => {
    const s3 = await startS3TestServer({ record: true });
    try {
      index = await openKbIndex("s3://kb/index", { storageOptions: objectStoreOptions(s3) });
      await runIngest({ kbDir, index, embedder });
      const reader = createKbReader(index, { embedder, refreshMs: 60_000, prewarm: true });
      await reader.snapshot();
      await reader.whenPrewarmed();
      const before = s3.log.length;
      const query = { question: "how do I renew an expired certificate?", topK: 5 };
      const sources = await searchKb({ reader, embedder }, query);
      // LanceDB may still fetch a part of the full-text index it has not loaded yet; never rows.
      const read = s3.log.slice(before).map((request) => request.key);
      expect(read.filter((key) => !key.includes("/_indices/"))).toEqual([]);
      const cold = createKbReader(index, { embedder, cacheBytes: 0 });
      expect(sources).toEqual(await searchKb({ reader: cold, embedder }, query));
    } finally {
      index?.close();
      index = undefined;
      await s3.close();
    }
  });

  it("prewarms only an index that fits, and again after each ingest", async () => {
    const s3 = await startS3TestServer({ record: true });
    try {
      index = await openKbIndex("s3://kb/index", {
        storageOptions: objectStoreOptions(s3),
        readConsistencySeconds: 0,
      });
      await runIngest({ kbDir, index, embedder });
      const small = await createKbReader(index, { embedder, refreshMs: 0 }).snapshot();
      expect(await small.prewarm(64 * 1024)).toBe(false);

      const reader = createKbReader(index, { embedder, refreshMs: 0, prewarm: true });
      await reader.snapshot();
      await reader.whenPrewarmed();
      const file = join(kbDir, "runbooks/redis-pool-exhausted.md");
      const edited = (await readFile(file, "utf8")).replace(
        "## Symptoms",
        "## Symptoms\n\nRun drainsessionspool.",
      );
      await writeFile(file, edited);
      await runIngest({ kbDir, index, embedder });
      const snapshot = await reader.snapshot();
      await reader.whenPrewarmed();
      const before = s3.log.length;
      const chunks = await snapshot.chunksOfDocuments(["runbooks/redis-pool-exhausted.md"]);
      expect(chunks.map((chunk) => chunk.text).join("\n")).toContain("drainsessionspool");
      // Read by the prewarm of the new version, not by this question.
      expect(s3.log.slice(before).filter((request) => request.key.includes("/data/"))).toEqual([]);
    } finally {
      index?.close();
      index = undefined;
      await s3.close();
    }
  });
});
