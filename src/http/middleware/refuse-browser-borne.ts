import type { MiddlewareHandler } from "hono";
import { KbError } from "../../errors.js";

/**
 * Refuses what a web page can make a browser send to the API without asking the user:
 * - `HEAD`, which would otherwise run a whole answer for headers nobody reads;
 * - a POST with a body that is not `application/json` (form and text/plain posts skip CORS
 *   preflight);
 * - any request another site's page starts (`Sec-Fetch-Site: cross-site` or `same-site`)
 *   unless it comes from an origin in CORS_ORIGINS, so even a no-cors GET cannot spend
 *   the model budget.
 */
export function refuseBrowserBorne(corsOrigins: readonly string[]): MiddlewareHandler {
  const allowedOrigins = new Set(corsOrigins);
  return async (context, next) => {
    const method = context.req.method;
    if (method === "HEAD") {
      context.header("allow", "GET, POST, OPTIONS");
      throw new KbError("method_not_allowed", "HEAD is not served on /v1/*: use GET or POST");
    }
    const site = context.req.header("sec-fetch-site");
    const origin = context.req.header("origin");
    if (
      (site === "cross-site" || site === "same-site") &&
      !(origin && allowedOrigins.has(origin))
    ) {
      throw new KbError(
        "forbidden",
        `Requests started by another site's page are refused${origin ? ` (origin ${origin.slice(0, 200)})` : ""}; the operator allows portal origins in CORS_ORIGINS`,
      );
    }
    const hasBody =
      (context.req.header("content-length") ?? "0") !== "0" ||
      context.req.header("transfer-encoding") !== undefined;
    // A POST without a body (an admin action) carries nothing a form could have forged.
    if (method === "POST" && hasBody) {
      const type = (context.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
      if (type !== "application/json") {
        throw new KbError(
          "unsupported_media_type",
          `Send the body as JSON with Content-Type: application/json (got ${JSON.stringify((type || "none").slice(0, 100))})`,
        );
      }
    }
    await next();
  };
}
