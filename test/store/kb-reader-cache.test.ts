import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { judgeCoverage } from "../../src/answer/judge-coverage.js";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { searchKb } from "../../src/retrieval/search-kb.js";
import { createKbReader } from "../../src/store/kb-reader.js";
import { fixtureKbDir } from "../helpers/start-app.js";
import { openTempKbIndex, type TempKbIndex } from "../helpers/temp-kb-index.js";

describe("the reader's cache of index reads", () => {
  const embedder = createFeatureHashEmbedder();
  const redis = "runbooks/redis-pool-exhausted.md";
  let kb: TempKbIndex;

  beforeAll(async () => {
    kb = await openTempKbIndex({
      // A copy: a test edits a runbook and ingests it again.
      kb: { copyOf: fixtureKbDir },
      embedder,
      // As a server opens it: later writes are seen at once.
      indexOptions: { readConsistencySeconds: 0 },
    });
  });
  afterAll(() => kb.close());

  it("answers exactly as reading the index every time does", async () => {
    const cached = { reader: createKbReader(kb.index, { embedder, refreshMs: 0 }), embedder };
    const uncached = {
      reader: createKbReader(kb.index, { embedder, refreshMs: 0, cacheBytes: 0 }),
      embedder,
    };
    const questions = [
      "connection pool exhausted, what do I do?",
      "how do I fix RedisPoolExhausted",
      "certificate expired on the CDN",
      "what happened in the checkout outage?",
      "how do I roll back a deployment",
    ];
    // Twice with the cache: the second round is served from what the first remembered.
    for (const round of [1, 2]) {
      for (const question of questions) {
        const query = { question, topK: 3 };
        const expected = await searchKb(uncached, query);
        const sources = await searchKb(cached, query);
        expect(sources, `${question} (round ${round})`).toEqual(expected);
        expect(await judgeCoverage(cached.reader, query, sources)).toBe(
          await judgeCoverage(uncached.reader, query, expected),
        );
      }
    }
  });

  it("reads documents' chunks in reading order, whether remembered or not", async () => {
    const reader = createKbReader(kb.index, { embedder, refreshMs: 0 });
    const paths = [redis, "incidents/2026-01-05-checkout-outage.md"];
    const snapshot = await reader.snapshot();
    await snapshot.chunksOfDocuments([redis]);
    const chunks = await snapshot.chunksOfDocuments(paths);
    const positions = chunks.map((chunk) => [chunk.docPath, chunk.chunkIndex] as const);
    expect(positions).toEqual(
      [...positions].sort(([leftPath, left], [rightPath, right]) =>
        leftPath === rightPath ? left - right : leftPath < rightPath ? -1 : 1,
      ),
    );
    expect(new Set(chunks.map((chunk) => chunk.docPath))).toEqual(new Set(paths));
  });

  it("serves a re-ingested document's new text and aliases, never the remembered ones", async () => {
    const reader = createKbReader(kb.index, { embedder, refreshMs: 0 });
    const before = await reader.snapshot();
    const oldText = (await before.chunksOfDocuments([redis])).map((chunk) => chunk.text).join("\n");
    expect(oldText).not.toContain("flushall-sessions-pool");
    expect((await before.aliasesOf([redis])).get(redis)).toContain("RedisPoolExhausted");
    expect((await before.allAliases()).get(redis)).toContain("RedisPoolExhausted");
    expect(await before.termChunkCounts(["flushallsessionspool"], 100)).toEqual([0]);

    const file = join(kb.kbDir, redis);
    const markdown = await readFile(file, "utf8");
    await writeFile(
      file,
      markdown
        .replace("aliases: [RedisPoolExhausted,", "aliases: [RedisPoolDrained,")
        .replace(
          "## Symptoms",
          "## Symptoms\n\nRun flushallsessionspool first: flushall-sessions-pool.",
        ),
    );
    // A plain ingest rewrites the active generation in place: the generation number stays.
    await kb.ingest();

    const after = await reader.snapshot();
    expect(after.generation.number).toBe(before.generation.number);
    const newText = (await after.chunksOfDocuments([redis])).map((chunk) => chunk.text).join("\n");
    expect(newText).toContain("flushall-sessions-pool");
    expect((await after.aliasesOf([redis])).get(redis)).toContain("RedisPoolDrained");
    expect((await after.allAliases()).get(redis)).toContain("RedisPoolDrained");
    expect((await after.allAliases()).get(redis)).not.toContain("RedisPoolExhausted");
    expect(await after.termChunkCounts(["flushallsessionspool"], 100)).toEqual([1]);
  });

  it("leaves damage to the read that meets it: a table whose version cannot be read still gives a snapshot", async () => {
    const damaged = await openTempKbIndex({
      kb: { dir: kb.kbDir },
      embedder,
      indexOptions: { readConsistencySeconds: 0 },
      readerOptions: { refreshMs: 0 },
    });
    try {
      const { reader } = damaged;
      expect((await (await reader.snapshot()).aliasesOf([redis])).size).toBe(1);
      // Its commit history gone, the documents table can say neither its version nor its rows.
      await rm(join(damaged.dir, "db", "docs_g1.lance", "_versions"), {
        recursive: true,
        force: true,
      });
      const snapshot = await reader.snapshot();
      await expect(snapshot.aliasesOf(["runbooks/certificate-expiry.md"])).rejects.toThrow(
        /docs_g1/,
      );
    } finally {
      // A read of the damaged table may still hold the connection for a moment: close once it is free.
      await vi.waitFor(() => damaged.close(), { timeout: 5_000 });
    }
  });
});
