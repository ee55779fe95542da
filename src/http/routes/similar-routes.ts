import type { Hono } from "hono";
import { SimilarRequest } from "../../contract/similar-request.js";
import type { SimilarResponse } from "../../contract/similar-response.js";
import { withFields } from "../../logger.js";
import type { SearchDeps } from "../../retrieval/search-kb.js";
import { findSimilar } from "../../workflows/find-similar.js";
import type { AppEnv } from "../app-env.js";
import { parseInput, readJsonBody } from "../parse-request.js";

/** `POST /v1/similar`: the past tickets and incident writeups most like a ticket. */
export function registerSimilarRoutes(
  app: Hono<AppEnv>,
  deps: SearchDeps & { defaultTopK: number },
): void {
  app.post("/v1/similar", async (context) => {
    const request = parseInput(SimilarRequest, await readJsonBody(context.req.raw));
    const logger = deps.logger && withFields(deps.logger, { requestId: context.get("requestId") });
    const response: SimilarResponse = await findSimilar(
      { ...deps, logger },
      { ticket: request.ticket, filters: request.filters, topK: request.topK ?? deps.defaultTopK },
      { signal: context.req.raw.signal },
    );
    return context.json(response);
  });
}
