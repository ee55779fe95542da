import { getConnInfo } from "@hono/node-server/conninfo";
import type { MiddlewareHandler } from "hono";
import { KbError } from "../../errors.js";
import type { AppEnv } from "../app-env.js";
import { createRateLimiter } from "../limits/rate-limiter.js";

/**
 * At most `perMinute` requests a minute per caller: per API key when keys are configured,
 * per client address otherwise. 0 turns the limit off.
 */
export function limitRate(perMinute: number): MiddlewareHandler<AppEnv> {
  if (perMinute === 0) return (_context, next) => next();
  const limiter = createRateLimiter(perMinute);
  return async (context, next) => {
    const keyName = context.get("apiKeyName");
    const caller = keyName ? `key:${keyName}` : `address:${clientAddress(context)}`;
    const waitSeconds = limiter.take(caller);
    if (waitSeconds !== undefined) {
      throw new KbError(
        "rate_limited",
        `Too many requests from this client: at most ${perMinute} a minute (RATE_LIMIT_PER_MINUTE)`,
        { retryAfterSeconds: waitSeconds, safeToShow: true },
      );
    }
    await next();
  };
}

function clientAddress(context: Parameters<MiddlewareHandler>[0]): string {
  try {
    return getConnInfo(context).remote.address ?? "unknown";
  } catch {
    // Not served by @hono/node-server (an in-process request): one shared bucket.
    return "unknown";
  }
}
