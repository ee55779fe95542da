import type { Hono } from "hono";
import { requireAdminKey } from "../../access/require-admin-key.js";
import type { Metrics } from "../../metrics/create-metrics.js";
import type { AppEnv } from "../app-env.js";

/**
 * `GET /metrics` in the Prometheus text format. With `adminApiKey`, only for that bearer key
 * (the main port); without, for anyone who reaches it (METRICS_PORT, on a private network).
 */
export function registerMetricsRoutes(
  app: Hono<AppEnv>,
  deps: { metrics: Metrics; adminApiKey: string | undefined },
): void {
  if (deps.adminApiKey) app.use("/metrics", requireAdminKey(deps.adminApiKey));
  app.get("/metrics", async (context) => {
    const body = await deps.metrics.registry.metrics();
    return context.body(body, 200, { "content-type": deps.metrics.registry.contentType });
  });
}
