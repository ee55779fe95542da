import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Metrics } from "../../metrics/create-metrics.js";
import type { AppEnv } from "../app-env.js";

/**
 * Counts and times each request under its route pattern (`/v1/sections/:id`), never the raw
 * path, so the number of series stays bounded whatever clients send; a request no route
 * answered counts as `unmatched`.
 */
export function measureRequests(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      // Middleware registers as ALL; the route that answered has the request's own method.
      const route =
        matchedRoutes(context).findLast((matched) => matched.method !== "ALL")?.path ?? "unmatched";
      const method = context.req.method;
      metrics.httpRequests.inc({ method, route, status: String(context.res.status) });
      metrics.httpRequestDuration.observe({ method, route }, (performance.now() - started) / 1000);
    }
  };
}
