import cluster from "node:cluster";
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { createServiceCatalogueSource } from "./catalogue/service-catalogue-source.js";
import { isLoopback, loadConfig } from "./config.js";
import { createEmbedder } from "./embed/create-embedder.js";
import { KbError } from "./errors.js";
import { createApp } from "./http/create-app.js";
import { createMetricsApp } from "./http/create-metrics-app.js";
import { readWidgetAssets } from "./http/read-widget-assets.js";
import { createShutdownDrain } from "./http/shutdown-drain.js";
import { ingestAtStart, reportUnreadableIndex } from "./ingest/ingest-at-start.js";
import { createChildIngest } from "./ingest/ingest-in-child.js";
import { createJsonLogger } from "./logger.js";
import { createMetrics } from "./metrics/create-metrics.js";
import { measureIngest } from "./metrics/measure-ingest.js";
import { createChatModel } from "./model/create-chat-model.js";
import { createPromptSource } from "./prompts/prompt-source.js";
import { shippedPromptsDir } from "./prompts/shipped-prompts-dir.js";
import { createChatQueryExpander } from "./retrieval/chat-query-expander.js";
import { createHttpReranker } from "./retrieval/http-reranker.js";
import { openKbIndex } from "./store/kb-index.js";
import { createKbReader } from "./store/kb-reader.js";
import { createTaxonomySource } from "./taxonomy/taxonomy-source.js";
import type { WidgetAssets } from "./widget/widget-assets.js";
import { createActionWebhook } from "./workflows/actions/create-action-webhook.js";

/**
 * The server (each worker's, with WORKERS > 1), started by main.ts: read
 * settings, bring the index up to date with the KB folder (cheap when nothing
 * changed; with workers, the primary did), then serve.
 */
// main.ts has read the same settings already, and exited 2 on a bad one.
const config = loadConfig(process.env);
const logger = createJsonLogger({ level: config.logLevel, secrets: config.secrets });
let assets: WidgetAssets;
try {
  // Written by `npm run build` beside the compiled server: dist/public.
  assets = await readWidgetAssets(fileURLToPath(new URL("../public/", import.meta.url)));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const embedder = createEmbedder(config.embedding);
const index = await openKbIndex(config.dbUri, {
  ...config.lanceDbCloud,
  storageOptions: config.storageOptions,
  readConsistencySeconds: config.server.indexRefreshMs / 1000,
});

const metrics = createMetrics();

/**
 * The same incremental ingest `npm run ingest` runs, at start and for /v1/admin/ingest, in a
 * process of its own: what writing leaves in memory never weighs on the server.
 */
const ingest = createChildIngest({
  entry: fileURLToPath(new URL("./ingest-main.js", import.meta.url)),
  env: process.env,
});

const reader = createKbReader(index, {
  embedder,
  refreshMs: config.server.indexRefreshMs,
  cacheBytes: config.server.indexCacheBytes,
  prewarm: true,
});

if (!config.ingestOnStart) {
  logger.info("serving the index as it is, never writing (INGEST_ON_START=false)", {
    db: config.dbUri,
  });
  try {
    await (await reader.trySnapshot())?.probe();
  } catch (error) {
    if (!(error instanceof KbError)) throw error;
    // A damaged index: one plain line naming the fix, and the server serves on (/readyz says
    // not ready, and the rebuild is picked up without a restart).
    reportUnreadableIndex(logger, config.dbUri, error);
  }
} else if (cluster.isPrimary) {
  // With WORKERS > 1 the primary brought the index up to date before it forked this worker.
  const ingested = await ingestAtStart({
    ingest: measureIngest(metrics, "start", ingest),
    logger,
    kbDir: config.kbDir,
    db: config.dbUri,
  });
  if (!ingested) process.exit(1);
}

const chat = config.chat ? createChatModel(config.chat) : undefined;
// The KB's taxonomy file, reloaded when it changes; a broken edit keeps the last good one.
const taxonomy = createTaxonomySource({ kbDir: config.kbDir, logger, watch: true });
// The KB's service catalogue, reloaded as the taxonomy is; owners are checked against its teams.
const catalogue = createServiceCatalogueSource({
  kbDir: config.kbDir,
  logger,
  watch: true,
  teams: () => taxonomy.current()?.teams.map((team) => team.name) ?? null,
});
// The prompt files: shipped beside the compiled code, overridable in <KB_DIR>/prompts/, reloaded.
const prompts = createPromptSource({
  shippedDir: shippedPromptsDir,
  kbDir: config.kbDir,
  logger,
  watch: true,
});
const drain = createShutdownDrain();
const actionWebhook = config.tools?.actionWebhook;
const deliverAction = actionWebhook ? createActionWebhook({ ...actionWebhook, logger }) : undefined;
const app = createApp({
  config: config.server,
  reader,
  embedder,
  tuning: config.retrieval,
  reranker: config.rerank ? createHttpReranker(config.rerank) : undefined,
  queryExpander:
    chat && config.queryExpansion
      ? createChatQueryExpander(chat, { timeoutMs: config.queryExpansion.timeoutMs })
      : undefined,
  chat,
  tools: config.tools && {
    maxSteps: config.tools.maxSteps,
    // Not awaited (createApp starts it and counts it): it retries on its own and logs its outcome.
    deliverAction,
  },
  logger,
  // Re-ingest over HTTP writes: a read-only server (INGEST_ON_START=false) offers none.
  ingest: config.ingestOnStart ? ingest : undefined,
  taxonomy: () => taxonomy.current(),
  catalogue: () => catalogue.current(),
  prompts,
  assets,
  drain,
  metrics,
});

// Without a createServer option, serve() makes a plain node:http server.
const server = serve(
  { fetch: app.fetch, port: config.server.port, hostname: config.server.host },
  (info) => {
    logger.info("listening", {
      url: `http://${config.server.host}:${info.port}`,
      answers: config.chat ? `llm (${config.chat.model})` : "extractive",
      tools: config.tools
        ? `on (${config.tools.maxSteps} steps${config.tools.actionWebhook ? ", action webhook" : ""})`
        : "off",
      embedder: embedder.id,
      access:
        config.server.apiKeys.length > 0
          ? `API keys: ${config.server.apiKeys.map((key) => key.name).join(", ")}`
          : "no API keys",
    });
    if (config.server.apiKeys.length === 0) {
      const exposed = !isLoopback(config.server.host);
      logger[exposed ? "warn" : "info"](
        exposed
          ? "serving other machines without authentication (ALLOW_UNAUTHENTICATED): anyone who reaches this port reads the knowledge base"
          : "no API_KEYS: serving this machine only (loopback), without authentication",
        { host: config.server.host },
      );
    }
  },
) as Server;

// Prometheus on a private network scrapes without the admin key, on a port of its own.
const metricsServer =
  config.metricsPort === undefined
    ? undefined
    : (serve(
        {
          fetch: createMetricsApp({ metrics, logger }).fetch,
          port: config.metricsPort,
          hostname: config.server.host,
        },
        (info) =>
          logger.info("serving metrics", {
            url: `http://${config.server.host}:${info.port}/metrics`,
          }),
      ) as Server);

const onListenError = (port: number) => (error: NodeJS.ErrnoException) => {
  // Listening failed (the only server error not tied to one request): say what to change, no stack.
  const address = `${config.server.host}:${port}`;
  const setting = port === config.server.port ? "PORT" : "METRICS_PORT";
  const reason =
    error.code === "EADDRINUSE"
      ? `${address} is already in use: stop the other server or set ${setting} to a free port`
      : error.code === "EACCES"
        ? `not allowed to listen on ${address}: use a ${setting} above 1023 or run with the needed rights`
        : error.code === "EADDRNOTAVAIL"
          ? `${config.server.host} is not an address of this machine: check HOST`
          : `could not listen on ${address}: ${error.message}`;
  logger.error("could not start the server", { code: error.code, reason });
  process.stderr.write(`${reason}\n`);
  index.close();
  process.exit(1);
};
server.on("error", onListenError(config.server.port));
if (metricsServer && config.metricsPort !== undefined) {
  metricsServer.on("error", onListenError(config.metricsPort));
}

/**
 * SIGTERM or SIGINT: stop accepting, let open answers finish for SHUTDOWN_GRACE_MS, end the
 * rest with a `shutting_down` error event, then exit 0. A second signal exits at once.
 */
const shutdown = async (signal: string) => {
  if (drain.draining) {
    // A worker gets Ctrl-C twice (from the terminal and from its primary): that is one signal.
    if (cluster.isWorker) return;
    logger.warn("second signal: exiting without waiting for open answers", { signal });
    process.exit(1);
  }
  logger.info("shutting down", {
    signal,
    openAnswers: drain.openAnswers,
    graceMs: config.shutdownGraceMs,
  });
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Scrapes are short; the metrics port simply stops.
  metricsServer?.close();
  metricsServer?.closeAllConnections();
  // Node keeps a keep-alive connection open after its last response, even once closed: close
  // each as soon as it is idle, so a response is never cut by the final closeAllConnections.
  const sweep = setInterval(() => server.closeIdleConnections(), 25);
  server.closeIdleConnections();
  const shutdownStarted = performance.now();
  const ended = await drain.drain({ graceMs: config.shutdownGraceMs });
  if (ended > 0) logger.warn("ended answers still open at the deadline", { ended });
  // Proposed actions still being sent to ACTION_WEBHOOK_URL get what is left of the grace.
  const undelivered = await deliverAction?.settle(
    config.shutdownGraceMs - (performance.now() - shutdownStarted),
  );
  if (undelivered && undelivered.length > 0) {
    logger.warn("proposed actions not delivered before shutdown", { actionIds: undelivered });
  }
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  clearInterval(sweep);
  server.closeAllConnections();
  index.close();
  logger.info("shut down", { signal });
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
