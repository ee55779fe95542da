import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import OpenAI from "openai";
import { createFeatureHashEmbedder } from "../src/embed/feature-hash-embedder.js";
import { createApp } from "../src/http/create-app.js";
import { runIngest } from "../src/ingest/run-ingest.js";
import { silentLogger } from "../src/logger.js";
import { defaultRetrievalTuning, type RetrievalTuning } from "../src/retrieval/retrieval-tuning.js";
import { searchKb } from "../src/retrieval/search-kb.js";
import { openKbIndex } from "../src/store/kb-index.js";
import { createKbReader, defaultIndexCacheBytes } from "../src/store/kb-reader.js";
import { startFakeOpenAI } from "../test/helpers/fake-openai.js";
import { generatedNouns, generatedServices, generateKb } from "./generate-kb.js";
import { parseCliArgs, wholeNumberFlag } from "./parse-cli-args.js";

/**
 * Ask benchmark: a generated KB of about --chunks chunks with the offline
 * embedder. Measures retrieval latency (searchKb, in process), and over HTTP on
 * 127.0.0.1 the time from request to the `sources` event and to the first
 * `delta`, extractive and with an instant local OpenAI-compatible model.
 */
const usage = `Usage: npm run bench:ask -- [--chunks 100000] [--queries 300] [--keep DIR]

The generated KB and its index are kept for the next run, in DIR or by default in
kb-bench-ask-CHUNKS under the system's temporary directory.`;
const values = parseCliArgs(usage, {
  chunks: { type: "string", default: "100000" },
  queries: { type: "string", default: "300" },
  keep: { type: "string" },
});
const targetChunks = wholeNumberFlag(usage, "chunks", values.chunks, 1);
const queryCount = wholeNumberFlag(usage, "queries", values.queries, 1);
const out = (line: string) => process.stdout.write(`${line}\n`);

const root = values.keep ?? join(tmpdir(), `kb-bench-ask-${targetChunks}`);
const kbDir = join(root, "kb");
const embedder = createFeatureHashEmbedder();
if (!existsSync(join(root, "ready"))) {
  await rm(root, { recursive: true, force: true });
  const documents = Math.ceil(targetChunks / 8);
  out(`generating ${documents} documents (about ${targetChunks} chunks) in ${kbDir}`);
  await generateKb(kbDir, { documents });
  const index = await openKbIndex(join(root, "db"));
  const summary = await runIngest({ kbDir, index, embedder });
  out(`ingested ${summary.chunks} chunks in ${summary.seconds.toFixed(1)} s`);
  index.close();
  await mkdir(join(root, "ready"));
}

const index = await openKbIndex(join(root, "db"), { readConsistencySeconds: 1 });
const reader = createKbReader(index, { embedder });
const snapshot = await reader.snapshot();
const { chunks: chunkCount } = await snapshot.counts();
// The raw table, for what only a benchmark asks: its indexes and an exact scan to compare against.
const chunkTable = await index.chunkTable(snapshot.generation);
if (!chunkTable) throw new Error(`generation ${snapshot.generation.number} has no chunk table`);
const indexes = (await chunkTable.listIndices()).map(
  (entry) => `${entry.indexType}(${entry.columns.join(",")})`,
);

const questions = Array.from({ length: queryCount }, (_, n) => {
  const word = generatedNouns[n % generatedNouns.length];
  const service = generatedServices[(n * 7) % generatedServices.length];
  return n % 3 === 0
    ? `how do I ${word} on ${service} in prod-eu-1`
    : n % 3 === 1
      ? `${service} ${word} timeouts to the upstream`
      : `why is ${word} failing for ${service}, case ${n * 13}`;
});

const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const summarise = (samples: number[]) =>
  `p50 ${percentile(samples, 50).toFixed(1)} ms, p95 ${percentile(samples, 95).toFixed(1)} ms`;

// Retrieval alone, as the server runs it: offline defaults (full text only), then hybrid as with an embedding model.
const timeRetrieval = async (tuning: Partial<RetrievalTuning>) => {
  for (const question of questions.slice(0, 20))
    await searchKb({ reader, embedder, tuning }, { question, topK: 5 });
  const samples: number[] = [];
  for (const question of questions) {
    const started = performance.now();
    await searchKb({ reader, embedder, tuning }, { question, topK: 5 });
    samples.push(performance.now() - started);
  }
  return samples;
};
const retrieval = await timeRetrieval({});
const hybridRetrieval = await timeRetrieval({ vectorWeight: 1 });

// Recall of the vector index against an exact scan, on the same queries.
let recallHits = 0;
let recallTotal = 0;
for (const question of questions.slice(0, 50)) {
  const [vector] = await embedder.embed([question]);
  const search = () =>
    chunkTable
      .vectorSearch(vector as Float32Array)
      .distanceType("cosine")
      .select(["id", "_distance"])
      .limit(10);
  const exact = new Set((await search().bypassVectorIndex().toArray()).map((row) => row.id));
  const approximate = await search().nprobes(defaultRetrievalTuning.vectorProbes).toArray();
  recallHits += approximate.filter((row) => exact.has(row.id)).length;
  recallTotal += exact.size;
}
const vectorRecall = recallHits / recallTotal;

// Over HTTP: time to the sources event and to the first delta.
const fake = await startFakeOpenAI();
fake.chatReply = { chunks: ["Instant answer [1]."], delayMs: 0, finishReason: "stop" };
const serverConfig = {
  port: 0,
  host: "127.0.0.1",
  keepAliveMs: 15_000,
  maxBodyBytes: 262_144,
  defaultTopK: 5,
  triageReviewThreshold: 0.8,
  indexRefreshMs: 1000,
  indexCacheBytes: defaultIndexCacheBytes,
  corsOrigins: [],
  apiKeys: [],
  allowedHosts: [],
  adminApiKey: undefined,
  rateLimitPerMinute: 0,
  maxConcurrentAnswers: 16,
  answerQueueSize: 64,
  answerQueueTimeoutMs: 10_000,
};
const chat = {
  client: new OpenAI({ baseURL: fake.baseURL, apiKey: "bench", maxRetries: 0 }),
  model: "instant",
  maxTokens: 100,
  temperature: 0,
  timeoutMs: 10_000,
  totalTimeoutMs: 60_000,
};
const measureStream = async (withModel: boolean) => {
  const app = createApp({
    config: serverConfig,
    reader,
    embedder,
    chat: withModel ? chat : undefined,
    logger: silentLogger,
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  if (!server.listening) await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  const toSources: number[] = [];
  const toDelta: number[] = [];
  for (const [position, question] of questions.entries()) {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/v1/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    let sourcesAt: number | undefined;
    let deltaAt: number | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (sourcesAt === undefined && text.includes("event: sources"))
        sourcesAt = performance.now() - started;
      if (deltaAt === undefined && text.includes("event: delta"))
        deltaAt = performance.now() - started;
    }
    if (position >= 20) {
      toSources.push(sourcesAt ?? Number.NaN);
      toDelta.push(deltaAt ?? Number.NaN);
    }
  }
  server.close();
  return { toSources, toDelta };
};
const extractive = await measureStream(false);
const withModel = await measureStream(true);
await fake.close();
const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
index.close();

out("");
out(
  `machine                            ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${cpus()[0]?.model ?? "?"}, Node ${process.version}`,
);
out(`index                              ${chunkCount} chunks; indexes: ${indexes.join(", ")}`);
out(
  `vector index recall@10             ${vectorRecall.toFixed(3)} (nprobes ${defaultRetrievalTuning.vectorProbes}, against an exact scan)`,
);
out(
  `retrieval (searchKb)               ${summarise(retrieval)}   (target p50 < 15 ms, p95 < 40 ms)`,
);
out(`retrieval, hybrid (VECTOR_WEIGHT=1) ${summarise(hybridRetrieval)}`);
out(`request -> sources, extractive     ${summarise(extractive.toSources)}   (target p95 < 50 ms)`);
out(`request -> first delta, extractive ${summarise(extractive.toDelta)}`);
out(`request -> sources, instant model  ${summarise(withModel.toSources)}`);
out(`request -> first delta, model      ${summarise(withModel.toDelta)}`);
out(`process RSS with the index open    ${rssMiB} MiB`);
out(
  JSON.stringify({
    chunks: chunkCount,
    retrievalP50Ms: percentile(retrieval, 50),
    retrievalP95Ms: percentile(retrieval, 95),
    hybridRetrievalP50Ms: percentile(hybridRetrieval, 50),
    sourcesP95Ms: percentile(extractive.toSources, 95),
    firstDeltaModelP95Ms: percentile(withModel.toDelta, 95),
    rssMiB,
    vectorRecallAt10: vectorRecall,
  }),
);
if (!values.keep) out(`(index kept in ${root} for the next run; delete it to regenerate)`);
