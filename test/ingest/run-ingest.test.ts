import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Embedder } from "../../src/embed/embedder.js";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { createOpenAIEmbedder } from "../../src/embed/openai-embedder.js";
import { CHUNKER_VERSION } from "../../src/ingest/chunk-document.js";
import { runIngest } from "../../src/ingest/run-ingest.js";
import { type KbIndex, openKbIndex } from "../../src/store/kb-index.js";
import { truncateDataFiles } from "../helpers/damage-index.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { makeTempDir, writeFiles } from "../helpers/temp-dir.js";

const runbook = (title: string, sections: Record<string, string>) =>
  `---\ntitle: ${title}\nservices: [checkout-api]\n---\n# ${title}\n\n${Object.entries(sections)
    .map(([heading, text]) => `## ${heading}\n\n${text}`)
    .join("\n\n")}\n`;

const sampleKb = {
  "runbooks/rollback.md": runbook("Roll back a deployment", {
    Symptoms: "Pods crash after a release.",
    Remediation: "1. Run `kubectl rollout undo`.\n2. Watch the pods.",
  }),
  "runbooks/redis-pool.md": runbook("Redis pool exhausted", {
    Symptoms: "Timeout waiting for connection from pool.",
    Remediation: "Raise the pool size and restart the pods.",
  }),
  "incidents/2026-01-05-outage.md": `---\ntitle: Checkout outage\ndate: 2026-01-05\n---\n# Checkout outage\n\n## Summary\n\nA bad deploy.\n\n## Resolution\n\nRolled back.\n`,
};

describe("runIngest", () => {
  let fake: FakeOpenAI;
  let kbDir: string;
  let dbDir: string;
  let index: KbIndex;
  let embedder: Embedder;

  beforeEach(async () => {
    fake = await startFakeOpenAI({ dimensions: 8 });
    kbDir = join(await makeTempDir(), "kb");
    dbDir = join(await makeTempDir(), "db");
    await writeFiles(kbDir, sampleKb);
    index = await openKbIndex(dbDir);
    embedder = createOpenAIEmbedder({
      client: new OpenAI({ baseURL: fake.baseURL, apiKey: "k", maxRetries: 0 }),
      model: "fake-embed",
      batchSize: 16,
    });
  });
  afterEach(async () => {
    index.close();
    await fake.close();
  });

  const ingest = (options: { force?: boolean; dryRun?: boolean; with?: Embedder } = {}) =>
    runIngest({ kbDir, index, embedder: options.with ?? embedder, swapGraceMs: 0, ...options });

  const storedChunks = async () => {
    const state = await index.readState();
    if (!state.active) return [];
    const table = await index.chunkTable(state.active);
    const rows =
      (await table?.query().select(["id", "doc_path", "text", "heading_path"]).toArray()) ?? [];
    return rows.map((row) => ({
      id: row.id as string,
      path: row.doc_path as string,
      text: row.text as string,
    }));
  };

  it("ingests every document and reports what it did", async () => {
    const summary = await ingest();
    expect(summary).toMatchObject({ added: 3, updated: 0, removed: 0, unchanged: 0, failed: 0 });
    expect(summary.chunks).toBe(6);
    expect(summary.embedded).toBe(6);
    expect(fake.embeddedTexts()).toHaveLength(6);
    const chunks = await storedChunks();
    expect(new Set(chunks.map((chunk) => chunk.path))).toEqual(new Set(Object.keys(sampleKb)));
    const state = await index.readState();
    expect(state.active).toMatchObject({ embedderId: "openai:fake-embed", dimensions: 8 });
  });

  it("hands the embedder at most maxBatchSize texts per call, keeping maxParallelCalls in flight", async () => {
    // The dependency declares 2 texts and 2 calls at once; the OpenAI embedder under it would take 16.
    const calls: number[] = [];
    let inFlight = 0;
    let peakInFlight = 0;
    const narrow: Embedder = {
      id: embedder.id,
      dimensions: embedder.dimensions,
      maxBatchSize: 2,
      maxParallelCalls: 2,
      async embed(texts, options) {
        calls.push(texts.length);
        peakInFlight = Math.max(peakInFlight, ++inFlight);
        try {
          return await embedder.embed(texts, options);
        } finally {
          inFlight--;
        }
      },
    };
    const summary = await ingest({ with: narrow });
    expect(summary.embedded).toBe(6);
    const embeddingRequests = fake.requests.filter((request) => request.path === "/v1/embeddings");
    expect(
      embeddingRequests.map((request) => (request.body as { input: string[] }).input.length),
    ).toEqual([2, 2, 2]);
    expect(calls).toEqual([2, 2, 2]);
    expect(peakInFlight).toBe(2);
    expect(new Set(fake.embeddedTexts()).size).toBe(6);
    expect(await storedChunks()).toHaveLength(6);
  });

  it("makes no embedding calls when nothing changed", async () => {
    await ingest();
    const requestsBefore = fake.requests.length;
    const summary = await ingest();
    expect(summary).toMatchObject({
      added: 0,
      updated: 0,
      removed: 0,
      unchanged: 3,
      chunks: 0,
      embedded: 0,
    });
    expect(fake.requests.length).toBe(requestsBefore);
  });

  it("re-embeds only the edited section of an edited document", async () => {
    await ingest();
    const before = fake.embeddedTexts().length;
    await writeFile(
      join(kbDir, "runbooks/redis-pool.md"),
      runbook("Redis pool exhausted", {
        Symptoms: "Timeout waiting for connection from pool.",
        Remediation: "Raise maxTotal to 64 and roll the pods one by one.",
      }),
    );
    const summary = await ingest();
    expect(summary).toMatchObject({ added: 0, updated: 1, unchanged: 2, chunks: 2, embedded: 1 });
    const sent = fake.embeddedTexts().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain("Raise maxTotal to 64");
    const chunks = await storedChunks();
    expect(chunks).toHaveLength(6);
    expect(chunks.some((chunk) => chunk.text.includes("Raise the pool size"))).toBe(false);
  });

  it("re-embeds only the first chunk of a document whose frontmatter alone changed", async () => {
    const incident = (rootCause: string) =>
      `---\ntitle: Checkout outage\ndate: 2026-01-05\nroot_cause: ${rootCause}\n---\n# Checkout outage\n\n## Summary\n\nA bad deploy.\n\n## Resolution\n\nRolled back.\n`;
    await writeFile(join(kbDir, "incidents/2026-01-05-outage.md"), incident("a readiness probe"));
    await ingest();
    const before = fake.embeddedTexts().length;
    await writeFile(
      join(kbDir, "incidents/2026-01-05-outage.md"),
      incident("a liveness probe that called the database"),
    );
    const summary = await ingest();
    expect(summary).toMatchObject({ updated: 1, unchanged: 2, chunks: 2, embedded: 1 });
    const sent = fake.embeddedTexts().slice(before);
    expect(sent).toEqual([expect.stringContaining("Root cause: a liveness probe that called")]);
    expect(sent[0]).toContain("A bad deploy.");
  });

  it("re-chunks documents stored by an older chunker, embedding only text that changed", async () => {
    await ingest();
    const state = await index.readState();
    const documents = state.active ? await index.documentTable(state.active) : undefined;
    await documents?.update({ valuesSql: { chunker_version: String(CHUNKER_VERSION - 1) } });
    const requestsBefore = fake.requests.length;
    const summary = await ingest();
    expect(summary).toMatchObject({ updated: 3, unchanged: 0, chunks: 6, embedded: 0 });
    expect(fake.requests.length).toBe(requestsBefore);
    const table = state.active ? await index.documentTable(state.active) : undefined;
    const versions = (await table?.query().select(["chunker_version"]).toArray()) ?? [];
    expect(versions.map((row) => row.chunker_version)).toEqual(Array(3).fill(CHUNKER_VERSION));
  });

  it("removes the chunks of a deleted document", async () => {
    await ingest();
    await rm(join(kbDir, "runbooks/redis-pool.md"));
    const summary = await ingest();
    expect(summary).toMatchObject({ removed: 1, unchanged: 2, embedded: 0 });
    const chunks = await storedChunks();
    expect(chunks.map((chunk) => chunk.path)).not.toContain("runbooks/redis-pool.md");
    expect(chunks).toHaveLength(4);
  });

  it("moves a renamed document without embedding it again", async () => {
    await ingest();
    const before = fake.requests.length;
    await rm(join(kbDir, "runbooks/redis-pool.md"));
    await writeFiles(kbDir, { "runbooks/cache/redis-pool.md": sampleKb["runbooks/redis-pool.md"] });
    const summary = await ingest();
    expect(summary).toMatchObject({ added: 1, removed: 1, embedded: 0 });
    expect(fake.requests.length).toBe(before);
    const paths = new Set((await storedChunks()).map((chunk) => chunk.path));
    expect(paths).toEqual(
      new Set([
        "runbooks/rollback.md",
        "runbooks/cache/redis-pool.md",
        "incidents/2026-01-05-outage.md",
      ]),
    );
  });

  it("reports bad files by path and reason, ingests the rest, and keeps the stored version of a file that broke", async () => {
    await ingest();
    await writeFiles(kbDir, {
      "runbooks/rollback.md": "---\ntitle: [oops\n---\nbroken now",
      "runbooks/latin1.md": Uint8Array.from([0x23, 0x20, 0xe9, 0x0a]),
      "runbooks/empty.md": "---\ntitle: Nothing\n---\n",
      "runbooks/new.md": runbook("Disk full", { Symptoms: "No space left on device." }),
    });
    const summary = await runIngest({ kbDir, index, embedder, maxDocumentBytes: 10_000 });
    expect(summary).toMatchObject({ added: 1, failed: 3, unchanged: 2, removed: 0 });
    expect(summary.failures).toEqual([
      { path: "runbooks/empty.md", reason: "document has no text" },
      { path: "runbooks/latin1.md", reason: "file is not valid UTF-8" },
      { path: "runbooks/rollback.md", reason: expect.stringMatching(/^invalid frontmatter/) },
    ]);
    const chunks = await storedChunks();
    expect(chunks.filter((chunk) => chunk.path === "runbooks/rollback.md")).toHaveLength(2);
    expect(chunks.some((chunk) => chunk.path === "runbooks/new.md")).toBe(true);
  });

  it("skips files over the size limit, naming the limit", async () => {
    await writeFiles(kbDir, { "runbooks/huge.md": `# Huge\n\n${"x ".repeat(6000)}` });
    const summary = await runIngest({ kbDir, index, embedder, maxDocumentBytes: 10_000 });
    expect(summary.failures).toEqual([
      {
        path: "runbooks/huge.md",
        reason: expect.stringContaining("10000-byte limit (MAX_DOCUMENT_BYTES)"),
      },
    ]);
    expect(summary.added).toBe(3);
  });

  it("shows what would change on a dry run and writes nothing", async () => {
    await ingest();
    await rm(join(kbDir, "runbooks/redis-pool.md"));
    await writeFiles(kbDir, {
      "runbooks/new.md": runbook("Disk full", { Symptoms: "No space left." }),
    });
    const requestsBefore = fake.requests.length;
    const dry = await ingest({ dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      added: 1,
      removed: 1,
      unchanged: 2,
      chunks: 1,
      embedded: 1,
    });
    expect(fake.requests.length).toBe(requestsBefore);
    expect(
      new Set((await storedChunks()).map((chunk) => chunk.path)).has("runbooks/redis-pool.md"),
    ).toBe(true);
    const real = await ingest();
    expect(real).toMatchObject({ added: 1, removed: 1 });
  });

  it("leaves the previous index whole when the embedding endpoint fails mid-run, and finishes on the next run without duplicates", async () => {
    await ingest();
    const before = await storedChunks();
    await writeFiles(kbDir, {
      "runbooks/redis-pool.md": runbook("Redis pool exhausted", {
        Symptoms: "Pool empty.",
        Remediation: "Restart.",
      }),
      "runbooks/zz-new.md": runbook("Zed", { Symptoms: "New." }),
    });
    fake.enqueue("/v1/embeddings", { kind: "ok" }, { kind: "status", status: 500 });
    const failure = await runIngest({ kbDir, index, embedder, batchChunks: 2 }).catch(
      (error) => error,
    );
    expect(failure).toMatchObject({ code: "upstream_error" });

    const during = await storedChunks();
    expect(new Set(during.map((chunk) => chunk.path))).toEqual(
      new Set(before.map((chunk) => chunk.path)),
    );
    expect(during.filter((chunk) => chunk.path === "runbooks/rollback.md")).toHaveLength(2);

    const summary = await ingest();
    expect(summary.failed).toBe(0);
    const after = await storedChunks();
    expect(new Set(after.map((chunk) => chunk.id)).size).toBe(after.length);
    expect(
      after.filter((chunk) => chunk.path === "runbooks/redis-pool.md").map((chunk) => chunk.text),
    ).toEqual(["Pool empty.", "Restart."]);
    expect(after.filter((chunk) => chunk.path === "runbooks/zz-new.md")).toHaveLength(1);
  });

  it("refuses an index built by another embedder, saying how to rebuild", async () => {
    await ingest();
    const failure = await ingest({ with: createFeatureHashEmbedder(16) }).catch((error) => error);
    expect(failure).toMatchObject({ code: "index_incompatible" });
    expect(failure.message).toContain("openai:fake-embed");
    expect(failure.message).toContain("offline:feature-hash-v1:16");
    expect(failure.message).toContain("--force");
  });

  it("rebuilds with --force into a new generation and drops the old one", async () => {
    await ingest();
    const offline = createFeatureHashEmbedder(16);
    const summary = await ingest({ force: true, with: offline });
    expect(summary).toMatchObject({ added: 3, rebuilt: true, generation: 2 });
    const state = await index.readState();
    expect(state).toMatchObject({
      active: { number: 2, embedderId: offline.id, dimensions: 16 },
      building: null,
    });
    const tables = await index.connection.tableNames();
    expect(tables.filter((name) => name.startsWith("chunks_"))).toEqual(["chunks_g2"]);
    expect(await storedChunks()).toHaveLength(6);
  });

  it("keeps serving the old generation while an interrupted rebuild is pending, then finishes it", async () => {
    await ingest();
    // New text, so that the rebuild has something to embed (unchanged text is reused).
    await writeFiles(kbDir, {
      "runbooks/a-new.md": runbook("Alpha", {
        Symptoms: "Alpha symptoms.",
        Remediation: "Alpha fix.",
      }),
      "runbooks/b-new.md": runbook("Beta", {
        Symptoms: "Beta symptoms.",
        Remediation: "Beta fix.",
      }),
    });
    fake.enqueue("/v1/embeddings", { kind: "ok" }, { kind: "status", status: 500 });
    await expect(
      runIngest({ kbDir, index, embedder, force: true, batchChunks: 2, swapGraceMs: 0 }),
    ).rejects.toMatchObject({
      code: "upstream_error",
    });
    const pending = await index.readState();
    expect(pending.active?.number).toBe(1);
    expect(pending.building?.number).toBe(2);
    expect(await storedChunks()).toHaveLength(6);

    const textsBefore = fake.embeddedTexts().length;
    const summary = await ingest();
    expect(summary.rebuilt).toBe(true);
    // The first batch (a-new.md) was stored before the failure: only b-new.md's two texts remain.
    expect(fake.embeddedTexts().slice(textsBefore)).toHaveLength(2);
    expect(await index.readState()).toMatchObject({ active: { number: 2 }, building: null });
    const after = await storedChunks();
    expect(after).toHaveLength(10);
  });

  it("refuses a second ingest while one holds the lock", async () => {
    fake.enqueue("/v1/embeddings", { kind: "hang" });
    const controller = new AbortController();
    const first = runIngest({ kbDir, index, embedder, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await ingest().catch((error) => error);
    expect(second).toMatchObject({ code: "index_busy" });
    expect(second.message).toContain("Another ingest is writing");
    controller.abort();
    await expect(first).rejects.toThrow();
    const third = await ingest();
    expect(third.added).toBe(3);
  });

  it("refuses to empty the index when the KB folder has no markdown left", async () => {
    await ingest();
    for (const path of Object.keys(sampleKb)) await rm(join(kbDir, path));
    await expect(ingest()).rejects.toMatchObject({ code: "invalid_request" });
    expect(await storedChunks()).toHaveLength(6);
  });

  it("refuses a --force rebuild from an empty folder, and keeps serving the index", async () => {
    await ingest();
    const before = await index.readState();
    for (const path of Object.keys(sampleKb)) await rm(join(kbDir, path));
    await expect(runIngest({ kbDir, index, embedder, force: true })).rejects.toMatchObject({
      code: "invalid_request",
      message: expect.stringMatching(/no markdown files; refusing to remove all 3 documents/),
    });
    expect((await index.readState()).active).toEqual(before.active);
    expect(await storedChunks()).toHaveLength(6);
  });

  it("empties the index from an empty folder only with allowEmpty", async () => {
    await ingest();
    for (const path of Object.keys(sampleKb)) await rm(join(kbDir, path));
    const summary = await runIngest({ kbDir, index, embedder, allowEmpty: true });
    expect(summary).toMatchObject({ removed: 3, added: 0 });
    expect(await storedChunks()).toEqual([]);
  });

  it("re-ingests what the chunk table lost when the manifest says everything is unchanged", async () => {
    await ingest();
    const state = await index.readState();
    if (!state.active) throw new Error("no active generation");
    await index.connection.dropTable(`chunks_g${state.active.number}`);
    const textsBefore = fake.embeddedTexts().length;
    const summary = await ingest();
    expect(summary).toMatchObject({ added: 0, updated: 3, unchanged: 0, chunks: 6, embedded: 6 });
    expect(fake.embeddedTexts().length - textsBefore).toBe(6);
    expect(await storedChunks()).toHaveLength(6);
    // The manifest was updated in place, not duplicated.
    expect((await index.readManifest(state.active)).size).toBe(3);
    expect(await ingest()).toMatchObject({ unchanged: 3, embedded: 0 });
  });

  it("re-ingests a document whose chunks alone were deleted", async () => {
    await ingest();
    const state = await index.readState();
    if (!state.active) throw new Error("no active generation");
    await (await index.chunkTable(state.active))?.delete("doc_path = 'runbooks/rollback.md'");
    const summary = await ingest();
    expect(summary).toMatchObject({ updated: 1, unchanged: 2, chunks: 2 });
    expect(
      (await storedChunks()).filter((chunk) => chunk.path === "runbooks/rollback.md"),
    ).toHaveLength(2);
  });

  it("rebuilds with --force from a damaged index, reusing nothing it cannot read", async () => {
    await ingest();
    index.close();
    await truncateDataFiles(dbDir, "chunks_g1");
    index = await openKbIndex(dbDir);
    const textsBefore = fake.embeddedTexts().length;
    const summary = await ingest({ force: true });
    expect(summary).toMatchObject({ rebuilt: true, generation: 2, added: 3, failed: 0 });
    // Nothing could be reused from the damaged generation: every text was embedded again.
    expect(fake.embeddedTexts().length - textsBefore).toBe(6);
    expect(await storedChunks()).toHaveLength(6);
  });

  it("names the fix when a half-built generation is damaged, and --force recovers from it", async () => {
    await ingest();
    const controller = new AbortController();
    await expect(
      runIngest({
        kbDir,
        index,
        embedder,
        force: true,
        batchChunks: 2,
        signal: controller.signal,
        // Stopped once the new generation holds its first batch.
        onProgress: (progress) => {
          if (progress.phase === "writing") controller.abort();
        },
      }),
    ).rejects.toThrow();
    const { building } = await index.readState();
    if (!building) throw new Error("no half-built generation");
    expect(await (await index.chunkTable(building))?.countRows()).toBeGreaterThan(0);
    index.close();
    await truncateDataFiles(dbDir, `chunks_g${building.number}`);
    index = await openKbIndex(dbDir);

    const resumed = await ingest().catch((error: unknown) => error);
    expect(resumed).toMatchObject({
      code: "index_unreadable",
      message: expect.stringContaining("npm run ingest -- --force"),
    });
    // Still serving the last good generation.
    expect((await index.readState()).active?.number).toBe(1);
    const summary = await ingest({ force: true });
    expect(summary).toMatchObject({ rebuilt: true, generation: building.number + 1, failed: 0 });
    expect(await index.readState()).toMatchObject({ building: null, retired: [] });
    expect(await storedChunks()).toHaveLength(6);
  });

  it("rebuilds with --force when the index state itself cannot be read", async () => {
    await ingest();
    index.close();
    await truncateDataFiles(dbDir, "kb_state");
    index = await openKbIndex(dbDir);
    await expect(ingest()).rejects.toMatchObject({
      message: expect.stringContaining("npm run ingest -- --force"),
    });
    const summary = await ingest({ force: true });
    expect(summary).toMatchObject({ rebuilt: true, added: 3, failed: 0 });
    expect(await index.readState()).toMatchObject({ building: null, retired: [] });
    expect(await storedChunks()).toHaveLength(6);
  });

  it("names a KB folder that does not exist", async () => {
    await expect(runIngest({ kbDir: join(kbDir, "nope"), index, embedder })).rejects.toThrow(
      /KB directory .*nope does not exist/,
    );
  });

  it("stores paths relative to the KB folder with / separators, and the document manifest", async () => {
    await ingest();
    const state = await index.readState();
    const table = state.active ? await index.documentTable(state.active) : undefined;
    const rows = (await table?.query().toArray()) ?? [];
    const incident = rows.find((row) => row.path === "incidents/2026-01-05-outage.md");
    expect(incident).toMatchObject({
      kind: "incident",
      date: "2026-01-05",
      chunk_count: 2,
      chunker_version: CHUNKER_VERSION,
    });
    expect(rows.map((row) => row.path).sort()).toEqual(Object.keys(sampleKb).sort());
  });

  it("leaves a small change flat-scanned until enough rows are unindexed, and refreshes at once with optimizeAfterRows 0", async () => {
    await ingest();
    const unindexedRows = async () => {
      const state = await index.readState();
      const table = state.active ? await index.chunkTable(state.active) : undefined;
      const fullText = (await table?.listIndices())?.find((entry) =>
        entry.columns.includes("search_text"),
      );
      return fullText ? (await table?.indexStats(fullText.name))?.numUnindexedRows : undefined;
    };
    expect(await unindexedRows()).toBe(0);
    await writeFiles(kbDir, {
      "runbooks/new.md": runbook("Disk full", { Symptoms: "No space left." }),
    });
    await runIngest({ kbDir, index, embedder });
    expect(await unindexedRows()).toBe(1);
    await writeFiles(kbDir, {
      "runbooks/newer.md": runbook("Disk fuller", { Symptoms: "Still no space." }),
    });
    await runIngest({ kbDir, index, embedder, optimizeAfterRows: 0 });
    expect(await unindexedRows()).toBe(0);
  });

  it("folds every row into the full-text index when the first vector index is built, and repairs one left behind", async () => {
    const unindexedRows = async () => {
      const state = await index.readState();
      const table = state.active ? await index.chunkTable(state.active) : undefined;
      const fullText = (await table?.listIndices())?.find((entry) =>
        entry.columns.includes("search_text"),
      );
      return fullText ? (await table?.indexStats(fullText.name))?.numUnindexedRows : undefined;
    };
    const vectorIndexed = async () => {
      const state = await index.readState();
      const table = state.active ? await index.chunkTable(state.active) : undefined;
      return (await table?.listIndices())?.some((entry) => entry.columns.includes("vector"));
    };
    const options = { kbDir, index, embedder, optimizeAfterRows: 1_000, vectorIndexMinRows: 10 };
    await runIngest(options);
    expect(await vectorIndexed()).toBe(false);
    await writeFiles(
      kbDir,
      Object.fromEntries(
        Array.from({ length: 4 }, (_, n) => [
          `runbooks/more-${n}.md`,
          runbook(`Queue ${n} stuck`, { Symptoms: `Queue ${n} grows.`, Fix: `Drain queue ${n}.` }),
        ]),
      ),
    );
    await runIngest(options);
    expect(await vectorIndexed()).toBe(true);
    expect(await unindexedRows()).toBe(0);

    // A later change below the threshold stays flat-scanned, as designed...
    await writeFiles(kbDir, { "runbooks/late.md": runbook("Late", { Symptoms: "Late rows." }) });
    await runIngest(options);
    expect(await unindexedRows()).toBeGreaterThan(0);
    // ...and an ingest with nothing to do folds it in once the threshold is reached.
    await runIngest({ ...options, optimizeAfterRows: 1 });
    expect(await unindexedRows()).toBe(0);
  });

  it("opens file:// URIs through the same code, with the same lock", async () => {
    const uriIndex = await openKbIndex(`file://${dbDir}-uri`);
    try {
      const summary = await runIngest({
        kbDir,
        index: uriIndex,
        embedder: createFeatureHashEmbedder(16),
      });
      expect(summary.added).toBe(3);
      const again = await runIngest({
        kbDir,
        index: uriIndex,
        embedder: createFeatureHashEmbedder(16),
      });
      expect(again.unchanged).toBe(3);
    } finally {
      uriIndex.close();
    }
  });

  it("keeps the last good version of a now-broken document through a --force rebuild with another embedder", async () => {
    await ingest();
    await writeFiles(kbDir, { "runbooks/rollback.md": "---\ntitle: [oops\n---\nbroken now" });
    const summary = await ingest({ force: true, with: createFeatureHashEmbedder(16) });
    expect(summary).toMatchObject({ failed: 1, added: 2, generation: 2 });
    const kept = (await storedChunks()).filter((chunk) => chunk.path === "runbooks/rollback.md");
    expect(kept.map((chunk) => chunk.text)).toEqual([
      "Pods crash after a release.",
      "1. Run `kubectl rollout undo`.\n2. Watch the pods.",
    ]);
    const state = await index.readState();
    const documents = state.active ? await index.documentTable(state.active) : undefined;
    expect(await documents?.countRows("path = 'runbooks/rollback.md'")).toBe(1);
  });

  it("builds a vector index once the table is large enough, and search still finds the right sections", async () => {
    const offline = createFeatureHashEmbedder(32);
    const many = Object.fromEntries(
      Array.from({ length: 40 }, (_, n) => [
        `runbooks/generated-${n}.md`,
        runbook(`Generated runbook ${n}`, {
          Symptoms: `Alert Generated${n}Firing.`,
          Remediation: `Restart unit ${n}.`,
        }),
      ]),
    );
    await writeFiles(kbDir, many);
    await runIngest({
      kbDir,
      index,
      embedder: offline,
      force: true,
      vectorIndexMinRows: 50,
      swapGraceMs: 0,
    });
    const state = await index.readState();
    const table = state.active ? await index.chunkTable(state.active) : undefined;
    const vectorIndex = (await table?.listIndices())?.find((entry) =>
      entry.columns.includes("vector"),
    );
    expect(vectorIndex?.indexType).toBe("IvfFlat");
    const [query] = await offline.embed([`Generated runbook 7\n\nAlert Generated7Firing.`]);
    const hits = await table
      ?.vectorSearch(query as Float32Array)
      .distanceType("cosine")
      .nprobes(20)
      .limit(1)
      .toArray();
    expect(hits?.[0]?.doc_path).toBe("runbooks/generated-7.md");
  });

  it("rebuilds with --force and the same embedder without embedding unchanged text again", async () => {
    await ingest();
    const before = fake.embeddedTexts().length;
    await writeFiles(kbDir, {
      "runbooks/new.md": runbook("Disk full", { Symptoms: "No space left." }),
    });
    const summary = await ingest({ force: true });
    expect(summary).toMatchObject({
      rebuilt: true,
      generation: 2,
      added: 4,
      chunks: 7,
      embedded: 1,
    });
    expect(fake.embeddedTexts().slice(before)).toHaveLength(1);
    expect(await storedChunks()).toHaveLength(7);
  });
});
