import type { Context } from "hono";
import type { ErrorBody } from "./error-body.js";

/** The 404 for an unknown route, in the API's error shape; shared by the Node app and the edge Worker. */
export function routeNotFound(context: Context): Response {
  const body: ErrorBody = {
    error: {
      code: "not_found",
      message: `No route for ${context.req.method} ${context.req.path}`,
    },
  };
  return context.json(body, 404);
}
