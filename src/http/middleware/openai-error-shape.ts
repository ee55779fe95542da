import type { MiddlewareHandler } from "hono";
import type { ErrorBody } from "../../contract/error-body.js";
import type { AppEnv } from "../app-env.js";
import { openAiErrorType } from "../chat-completion-format.js";

/**
 * Error bodies in OpenAI's shape for the OpenAI-compatible routes, so its clients
 * raise them as they raise OpenAI's: `type` and `param` (the first bad field) join
 * our `code`, `message` and `details`, whichever middleware refused the request.
 */
export const openAiErrorShape: MiddlewareHandler<AppEnv> = async (context, next) => {
  await next();
  const response = context.res;
  if (response.status < 400) return;
  if (!response.headers.get("content-type")?.includes("application/json")) return;
  const body = (await response.clone().json()) as Partial<ErrorBody>;
  if (!body.error?.code) return;
  const details = body.error.details as { field?: string }[] | undefined;
  const shaped = {
    ...body,
    error: {
      ...body.error,
      type: openAiErrorType(body.error.code),
      param: details?.[0]?.field ?? null,
    },
  };
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  // Cleared first: hono would otherwise copy the old response's headers onto the new one.
  context.res = undefined;
  context.res = new Response(JSON.stringify(shaped), { status: response.status, headers });
};
