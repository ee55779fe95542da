import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { runIngest } from "../../src/ingest/run-ingest.js";
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
});
