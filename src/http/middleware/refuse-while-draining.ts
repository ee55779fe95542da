import type { MiddlewareHandler } from "hono";
import { KbError } from "../../errors.js";
import type { AppEnv } from "../app-env.js";
import type { ShutdownDrain } from "../shutdown-drain.js";

/** Still answered while draining: the process is alive, and its last figures are worth a scrape. */
const servedWhileDraining = new Set(["/healthz", "/metrics"]);

/**
 * During shutdown every response closes its connection (a keep-alive client reconnects to a
 * live server), and new requests get 503 `shutting_down`, /readyz included, so a load
 * balancer stops routing here while the answers already open finish.
 */
export function refuseWhileDraining(drain: ShutdownDrain): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    if (!drain.draining) return next();
    context.header("connection", "close");
    if (!servedWhileDraining.has(context.req.path)) {
      throw new KbError("shutting_down", "The server is shutting down. Try again in a moment.", {
        retryAfterSeconds: 1,
        safeToShow: true,
      });
    }
    await next();
    context.res.headers.set("connection", "close");
  };
}
