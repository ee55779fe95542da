import type { MiddlewareHandler } from "hono";
import type { Logger } from "../../logger.js";
import type { AppEnv } from "../app-env.js";

/** One log line per request: id, method, path, status and time taken. */
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
    });
  };
}
