import type { MiddlewareHandler } from "hono";
import type { Logger } from "../../logger.js";
import type { AppEnv } from "../app-env.js";

/** One log line per request: id, method, path, status, time taken and the caller's key name. */
export function logRequests(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const started = performance.now();
    await next();
    logger.info("request", {
      requestId: context.get("requestId"),
      method: context.req.method,
      path: context.req.path,
      status: context.res.status,
      ms: Math.round(performance.now() - started),
      ...(context.get("apiKeyName") ? { key: context.get("apiKeyName") } : {}),
    });
  };
}
