import { cp, mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createServiceCatalogueSource } from "../../src/catalogue/service-catalogue-source.js";
import type { ServerConfig } from "../../src/config.js";
import type { Embedder } from "../../src/embed/embedder.js";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { createApp, type ToolSettings } from "../../src/http/create-app.js";
import type { ShutdownDrain } from "../../src/http/shutdown-drain.js";
import { type IngestSummary, runIngest } from "../../src/ingest/run-ingest.js";
import type { LogFields, Logger, LogLevel } from "../../src/logger.js";
import type { Metrics } from "../../src/metrics/create-metrics.js";
import type { ChatModel } from "../../src/model/chat-model.js";
import { createPromptSource } from "../../src/prompts/prompt-source.js";
import { shippedPromptsDir } from "../../src/prompts/shipped-prompts-dir.js";
import type { QueryExpander } from "../../src/retrieval/query-expander.js";
import type { Reranker } from "../../src/retrieval/reranker.js";
import type { RetrievalTuning } from "../../src/retrieval/retrieval-tuning.js";
import { type KbIndex, openKbIndex } from "../../src/store/kb-index.js";
import { createKbReader, defaultIndexCacheBytes } from "../../src/store/kb-reader.js";
import { createTaxonomySource } from "../../src/taxonomy/taxonomy-source.js";
import { buildWidgetAssets } from "../../src/widget/build-widget.js";
import type { WidgetAssets } from "../../src/widget/widget-assets.js";
import { writeFiles } from "./temp-dir.js";

let widgetBuild: Promise<WidgetAssets> | undefined;
const widgetAssets = () => {
  widgetBuild ??= buildWidgetAssets();
  return widgetBuild;
};

export const fixtureKbDir = join(import.meta.dirname, "../fixtures/kb");

const hiddenErrorMessages = new Set(["unhandled error", "answer stream failed"]);

export interface TestApp {
  baseUrl: string;
  kbDir: string;
  index: KbIndex;
  logs: { level: LogLevel; message: string; fields: LogFields | undefined }[];
  ingest(): Promise<IngestSummary>;
  close(): Promise<void>;
}

/**
 * The real app on 127.0.0.1 over a copy of the fixture KB, ingested into a
 * temporary LanceDB with the offline embedder. Pass `chat` for LLM mode.
 */
export async function startTestApp(
  options: {
    chat?: ChatModel;
    config?: Partial<ServerConfig>;
    ingest?: boolean;
    tuning?: Partial<RetrievalTuning>;
    reranker?: Reranker;
    /** Serve the widget and demo page (bundled once per test file). */
    widget?: boolean;
    queryExpander?: QueryExpander;
    /** Ingests and searches with this embedder; default the offline feature-hash one. */
    embedder?: Embedder;
    /** Offer the app's own ingest to /v1/admin/ingest (needs config.adminApiKey). */
    adminIngest?: boolean;
    /** Serve this index directory (left in place by close()) instead of a fresh one. */
    db?: string;
    /** Graceful shutdown, for tests that start it. */
    drain?: ShutdownDrain;
    /** Count into this registry, for tests that scrape it. */
    metrics?: Metrics;
    /** Files written into the KB copy before it is read (path relative to the KB folder: text). */
    kbFiles?: Record<string, string>;
    /** TOOLS on (with `chat`): the model may call tools. */
    tools?: ToolSettings;
  } = {},
): Promise<TestApp> {
  // Removed by close(), so that suites can share one app across tests.
  const root = await mkdtemp(join(tmpdir(), "kb-answers-app-"));
  const kbDir = join(root, "kb");
  await cp(fixtureKbDir, kbDir, { recursive: true });
  if (options.kbFiles) await writeFiles(kbDir, options.kbFiles);
  const embedder = options.embedder ?? createFeatureHashEmbedder();
  const index = await openKbIndex(options.db ?? join(root, "db"), { readConsistencySeconds: 0 });
  const ingest = () => runIngest({ kbDir, index, embedder, optimizeAfterRows: 0 });
  if (options.ingest !== false) await ingest();

  const logs: TestApp["logs"] = [];
  const record = (level: LogLevel) => (message: string, fields?: LogFields) => {
    logs.push({ level, message, fields });
  };
  const logger: Logger = {
    debug: record("debug"),
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
  };
  // Watched, as the server does: a taxonomy file written by a test is picked up within a second.
  const taxonomy = createTaxonomySource({ kbDir, logger, watch: true });
  await taxonomy.ready;
  // Likewise the service catalogue, checked against the taxonomy's teams as the server does.
  const catalogue = createServiceCatalogueSource({
    kbDir,
    logger,
    watch: true,
    teams: () => taxonomy.current()?.teams.map((team) => team.name) ?? null,
  });
  await catalogue.ready;
  // Likewise the prompt files: the shipped ones, overridden by files a test writes to kb/prompts/.
  const prompts = createPromptSource({ shippedDir: shippedPromptsDir, kbDir, logger, watch: true });
  await prompts.ready;
  const app = createApp({
    config: {
      port: 0,
      host: "127.0.0.1",
      keepAliveMs: 15_000,
      maxBodyBytes: 64 * 1024,
      defaultTopK: 5,
      triageReviewThreshold: 0.8,
      indexRefreshMs: 50,
      indexCacheBytes: defaultIndexCacheBytes,
      corsOrigins: [],
      apiKeys: [],
      allowedHosts: [],
      adminApiKey: undefined,
      rateLimitPerMinute: 0,
      maxConcurrentAnswers: 16,
      answerQueueSize: 64,
      answerQueueTimeoutMs: 10_000,
      ...options.config,
    },
    reader: createKbReader(index, {
      embedder,
      refreshMs: options.config?.indexRefreshMs ?? 50,
      cacheBytes: options.config?.indexCacheBytes ?? defaultIndexCacheBytes,
    }),
    embedder,
    ...(options.tuning ? { tuning: options.tuning } : {}),
    reranker: options.reranker,
    queryExpander: options.queryExpander,
    chat: options.chat,
    tools: options.tools,
    logger,
    ingest: options.adminIngest ? ingest : undefined,
    taxonomy: () => taxonomy.current(),
    catalogue: () => catalogue.current(),
    prompts,
    assets: options.widget ? await widgetAssets() : undefined,
    drain: options.drain,
    metrics: options.metrics,
  });
  // Requests whose handler is still running: the index must outlive them (see close()).
  const inFlight = new Set<Promise<unknown>>();
  const fetchTracked = (request: Request) => {
    const handled = Promise.resolve(app.fetch(request));
    inFlight.add(handled);
    handled.finally(() => inFlight.delete(handled)).catch(() => {});
    return handled;
  };
  const server = serve({ fetch: fetchTracked, port: 0, hostname: "127.0.0.1" });
  if (!server.listening)
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    kbDir,
    index,
    logs,
    ingest,
    async close() {
      // Errors that reached the catch-alls are bugs even when the response looked fine. Taken
      // before teardown: closing the index under a request still in flight fails that request.
      const hidden = logs.filter((log) => hiddenErrorMessages.has(log.message));
      if ("closeAllConnections" in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A handler still reading (a browser's last request, cut by closeAllConnections) must
      // finish before the index closes: LanceDB refuses to close a table in use.
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => setTimeout(resolve, 5_000)),
      ]);
      index.close();
      await taxonomy.close();
      await catalogue.close();
      await prompts.close();
      await rm(root, { recursive: true, force: true });
      if (hidden.length > 0)
        throw new Error(`unhandled errors were logged: ${JSON.stringify(hidden, withErrors)}`);
    },
  };
}

/** Errors stringify to `{}`; keep what a failing test needs to be diagnosed. */
function withErrors(_key: string, value: unknown): unknown {
  return value instanceof Error
    ? { name: value.name, message: value.message, stack: value.stack, cause: value.cause }
    : value;
}
