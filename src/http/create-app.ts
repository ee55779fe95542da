import { Hono } from "hono";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { requireApiKey } from "../access/require-api-key.js";
import type { AnswerDeps } from "../answer/answer-question.js";
import { ToolError } from "../answer/answer-tool.js";
import type { ServerConfig } from "../config.js";
import type { ActionWebhookBody } from "../contract/action-webhook-body.js";
import { corsPolicy } from "../contract/cors-policy.js";
import { routeNotFound } from "../contract/route-not-found.js";
import type { IngestSummary } from "../ingest/run-ingest.js";
import type { Logger } from "../logger.js";
import { countUpstreamFailures } from "../metrics/count-upstream-failures.js";
import { createMetrics, type Metrics } from "../metrics/create-metrics.js";
import { measureIngest } from "../metrics/measure-ingest.js";
import type { PromptLibrary } from "../prompts/prompt.js";
import { createPromptSource } from "../prompts/prompt-source.js";
import { shippedPromptsDir } from "../prompts/shipped-prompts-dir.js";
import type { Taxonomy } from "../taxonomy/taxonomy.js";
import type { WidgetAssets } from "../widget/widget-assets.js";
import { createKbTools } from "../workflows/tools/create-kb-tools.js";
import type { LookupService } from "../workflows/tools/lookup-service-tool.js";
import { createTriageModelCache } from "../workflows/triage-model-cache.js";
import type { AppEnv } from "./app-env.js";
import { createAnswerSlots } from "./limits/answer-slots.js";
import { checkHost } from "./middleware/check-host.js";
import { handleErrors } from "./middleware/handle-errors.js";
import { limitBody } from "./middleware/limit-body.js";
import { limitRate } from "./middleware/limit-rate.js";
import { logRequests } from "./middleware/log-requests.js";
import { measureRequests } from "./middleware/measure-requests.js";
import { openAiErrorShape } from "./middleware/openai-error-shape.js";
import { refuseBrowserBorne } from "./middleware/refuse-browser-borne.js";
import { refuseWhileDraining } from "./middleware/refuse-while-draining.js";
import { registerAdminRoutes } from "./routes/admin-routes.js";
import { registerAskRoutes } from "./routes/ask-routes.js";
import { registerAssetRoutes } from "./routes/asset-routes.js";
import { registerChatRoutes } from "./routes/chat-routes.js";
import { registerDraftReplyRoutes } from "./routes/draft-reply-routes.js";
import { registerHealthRoutes } from "./routes/health-routes.js";
import { registerMetricsRoutes } from "./routes/metrics-routes.js";
import { registerSearchRoutes } from "./routes/search-routes.js";
import { registerSectionRoutes } from "./routes/section-routes.js";
import { registerServiceRoutes } from "./routes/service-routes.js";
import { registerSimilarRoutes } from "./routes/similar-routes.js";
import { registerTriageRoutes } from "./routes/triage-routes.js";
import { coalesceWindowOf } from "./serve-answer.js";
import { createShutdownDrain, type ShutdownDrain } from "./shutdown-drain.js";

/** TOOLS on: what the model's tools need beyond the app's own parts. */
export interface ToolSettings {
  /** Rounds of tool calls before the model must answer (TOOL_MAX_STEPS). */
  maxSteps: number;
  /** Looks a service up; default: the app's service catalogue (`deps.catalogue`). Without either, `lookup_service` is not offered. */
  lookupService?: LookupService | undefined;
  /** Sends a proposed action to ACTION_WEBHOOK_URL; absent: the answer stream alone tells of it. */
  deliverAction?: ((action: ActionWebhookBody) => Promise<{ delivered: boolean }>) | undefined;
}

export interface AppDeps extends Omit<AnswerDeps, "prompts" | "tools"> {
  /** Absent (TOOLS off, or no chat model): answers call no tools. */
  tools?: ToolSettings | undefined;
  /** The prompt files, live; absent: the shipped ones, read once. */
  prompts?: PromptLibrary | undefined;
  config: ServerConfig;
  logger: Logger;
  /** The server's own incremental ingest, for /v1/admin/ingest (with ADMIN_API_KEY). */
  ingest?: (() => Promise<IngestSummary>) | undefined;
  /** The widget script and demo page; without them `/` and `/widget.js` are not served. */
  assets?: WidgetAssets | undefined;
  /** The KB's taxonomy, live; without it the ticket history's labels are the taxonomy. */
  taxonomy?: (() => Taxonomy | null) | undefined;
  /** Graceful shutdown, started by the entry point on SIGTERM; absent: this app never drains. */
  drain?: ShutdownDrain | undefined;
  /** Where requests, answers and ingests are counted; absent: a fresh registry of this app's own. */
  metrics?: Metrics | undefined;
}

/** Starts each delivery without waiting for it (it retries on its own), counting its outcome. */
function countDeliveries(
  metrics: Metrics,
  deliver: ToolSettings["deliverAction"],
): ((action: ActionWebhookBody) => void) | undefined {
  if (!deliver) return undefined;
  return (action) => {
    deliver(action).then(
      ({ delivered }) =>
        metrics.actionDeliveries.inc({ outcome: delivered ? "delivered" : "failed" }),
      // The webhook reports its own failures as results; this is a bug, counted all the same.
      () => metrics.actionDeliveries.inc({ outcome: "failed" }),
    );
  };
}

/** The HTTP API over explicit dependencies: middleware and route groups, composed. */
export function createApp(given: AppDeps): Hono<AppEnv> {
  const { config, logger } = given;
  const drain = given.drain ?? createShutdownDrain();
  const metrics = given.metrics ?? createMetrics({ defaultMetrics: false });
  const slots = createAnswerSlots({
    concurrency: config.maxConcurrentAnswers,
    queueSize: config.answerQueueSize,
    queueTimeoutMs: config.answerQueueTimeoutMs,
  });
  const plumbing = {
    keepAliveMs: config.keepAliveMs,
    coalesceDeltasMs: config.coalesceDeltasMs ?? 0,
    coalesceMaxMs: config.coalesceMaxMs ?? config.coalesceDeltasMs ?? 0,
    drain,
    metrics,
    slots,
  };
  const writeWindowMs = coalesceWindowOf(plumbing);
  const deps = {
    ...countUpstreamFailures(metrics, given),
    // Under load the model's text is read in batches, twice per write window: one read, one
    // parse and one hop of each stage per batch rather than per token, while the end of an
    // answer waits at most half a window for its last read.
    chat: given.chat && {
      ...given.chat,
      readPauseMs: () => writeWindowMs() / 2,
    },
    prompts:
      given.prompts ?? createPromptSource({ shippedDir: shippedPromptsDir, logger, watch: false }),
  };
  metrics.observeAnswerSlots(slots);
  metrics.observeIndexGeneration(async () => (await deps.reader.trySnapshot())?.generation.number);
  const app = new Hono<AppEnv>();

  app.use(requestId());
  // Outermost after the id: it reshapes every refusal of the OpenAI routes, the key check's included.
  for (const path of ["/v1/chat/*", "/v1/models", "/v1/models/*"]) app.use(path, openAiErrorShape);
  app.use(cors(corsPolicy(config.corsOrigins)));
  app.use(logRequests(logger));
  app.use(measureRequests(metrics));
  app.use(refuseWhileDraining(drain));
  app.use(checkHost(config.allowedHosts));
  app.use("/v1/*", refuseBrowserBorne(config.corsOrigins));
  const requireKey = requireApiKey<AppEnv>(() => config.apiKeys);
  // /v1/admin/* answers to ADMIN_API_KEY alone (its own check), whatever API_KEYS allow.
  app.use("/v1/*", (context, next) =>
    context.req.path.startsWith("/v1/admin/") ? next() : requireKey(context, next),
  );
  app.use("/v1/*", limitRate(config.rateLimitPerMinute));
  app.use("/v1/*", limitBody(config.maxBodyBytes));

  registerHealthRoutes(app, deps);
  // The operator's figures, behind the operator's key (or on METRICS_PORT, see main.ts).
  if (config.adminApiKey) registerMetricsRoutes(app, { metrics, adminApiKey: config.adminApiKey });
  if (config.adminApiKey && deps.ingest) {
    registerAdminRoutes(app, {
      adminApiKey: config.adminApiKey,
      ingest: measureIngest(metrics, "admin", deps.ingest),
    });
  }
  if (deps.assets) registerAssetRoutes(app, deps.assets);
  registerSearchRoutes(app, { ...deps, defaultTopK: config.defaultTopK });
  registerSectionRoutes(app, deps);
  registerServiceRoutes(app, { catalogue: deps.catalogue ?? (() => null) });
  registerSimilarRoutes(app, { ...deps, defaultTopK: config.defaultTopK });
  const triageDeps = {
    ...deps,
    taxonomy: deps.taxonomy ?? (() => null),
    // One cache for triage and drafts: the stored model is decoded once per generation.
    models: createTriageModelCache(),
    reviewThreshold: config.triageReviewThreshold,
  };
  registerTriageRoutes(app, { ...triageDeps, defaultTopK: config.defaultTopK });
  const tools =
    deps.tools && deps.chat
      ? {
          list: createKbTools({
            ...triageDeps,
            lookupService: deps.tools.lookupService ?? catalogueLookup(deps.catalogue),
          }),
          maxSteps: deps.tools.maxSteps,
          deliverAction: countDeliveries(metrics, deps.tools.deliverAction),
        }
      : undefined;
  const answerRouteDeps = { ...deps, ...plumbing, tools, defaultTopK: config.defaultTopK };
  registerAskRoutes(app, answerRouteDeps);
  registerChatRoutes(app, answerRouteDeps);
  registerDraftReplyRoutes(app, { ...triageDeps, ...plumbing });

  app.notFound(routeNotFound);
  app.onError(handleErrors(logger));
  return app;
}

/** `lookup_service` over the live catalogue (reloaded as it changes), or none without a catalogue. */
function catalogueLookup(catalogue: AppDeps["catalogue"]): LookupService | undefined {
  if (!catalogue) return undefined;
  return (name) => {
    const current = catalogue();
    if (!current)
      throw new ToolError("not_found", "The KB has no service catalogue (services.yaml)");
    return current.lookup(name);
  };
}
