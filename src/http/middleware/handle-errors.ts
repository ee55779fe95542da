import type { ErrorHandler } from "hono";
import { type ErrorBody, errorBody } from "../../contract/error-body.js";
import { KbError, safeMessageByCode } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { AppEnv } from "../app-env.js";

const internalMessage = safeMessageByCode.internal ?? "";

/** The one place errors become responses: KbError → its code and status, anything else → 500. */
export function handleErrors(logger: Logger): ErrorHandler<AppEnv> {
  return (error, context) => {
    const requestId = context.get("requestId");
    if (error instanceof KbError) {
      // `internal` is covered by the status check; other codes with a safe message came from upstream.
      const safe =
        error.code === "internal" || error.safeToShow ? undefined : safeMessageByCode[error.code];
      if (error.safeToShow && error.status >= 500) {
        // Load shedding and the like: expected under load, and not a fault to page anyone for.
        logger.warn("request refused", { requestId, code: error.code });
      } else if (error.status >= 500 || safe) {
        logger.error("request failed", { requestId, error });
      }
      // Our own messages for 4xx and index states name the problem; others may carry internals.
      const message =
        safe ??
        (error.status < 500 || error.safeToShow || error.code.startsWith("index_")
          ? error.message
          : internalMessage);
      if (error.retryAfterSeconds !== undefined) {
        context.header("retry-after", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
      }
      return context.json(errorBody(error, message), error.status as 400);
    }
    logger.error("unhandled error", { requestId, error });
    const body: ErrorBody = { error: { code: "internal", message: internalMessage } };
    return context.json(body, 500);
  };
}
