import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { routeNotFound } from "../contract/route-not-found.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics/create-metrics.js";
import type { AppEnv } from "./app-env.js";
import { handleErrors } from "./middleware/handle-errors.js";
import { registerMetricsRoutes } from "./routes/metrics-routes.js";

/** The METRICS_PORT app: `GET /metrics` without a key, and nothing else. */
export function createMetricsApp(deps: { metrics: Metrics; logger: Logger }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestId());
  registerMetricsRoutes(app, { metrics: deps.metrics, adminApiKey: undefined });
  app.notFound(routeNotFound);
  app.onError(handleErrors(deps.logger));
  return app;
}
