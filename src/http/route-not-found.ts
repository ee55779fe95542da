import type { Context } from "hono";

/** The 404 for an unknown route, in the API's error shape; shared by the Node app and the edge Worker. */
export function routeNotFound(context: Context): Response {
  return context.json(
    {
      error: {
        code: "not_found",
        message: `No route for ${context.req.method} ${context.req.path}`,
      },
    },
    404,
  );
}
