import type { Context, Hono } from "hono";
import { SearchRequest } from "../../contract/search-request.js";
import type { SearchResponse } from "../../contract/search-response.js";
import { withFields } from "../../logger.js";
import { type SearchDeps, searchKb } from "../../retrieval/search-kb.js";
import { withoutPosition } from "../../retrieval/without-position.js";
import type { AppEnv } from "../app-env.js";
import { parseInput, queryToAskInput, readJsonBody } from "../parse-request.js";
import { toSearchQuery } from "../to-search-query.js";

/** `GET` and `POST /v1/search`: the best sections, whole, without an answer. */
export function registerSearchRoutes(
  app: Hono<AppEnv>,
  deps: SearchDeps & { defaultTopK: number },
): void {
  // Sources already carry the contract's fields: id, path, title, headingPath, kind, score, text (and n, services).
  const search = async (context: Context<AppEnv>, input: unknown): Promise<SearchResponse> => {
    const request = parseInput(SearchRequest, input);
    const logger = deps.logger && withFields(deps.logger, { requestId: context.get("requestId") });
    const query = toSearchQuery(request, deps.defaultTopK);
    return {
      results: (await searchKb({ ...deps, logger }, query, { signal: context.req.raw.signal })).map(
        withoutPosition,
      ),
    };
  };
  app.get("/v1/search", async (context) =>
    context.json(await search(context, queryToAskInput(new URL(context.req.url)))),
  );
  app.post("/v1/search", async (context) =>
    context.json(await search(context, await readJsonBody(context.req.raw))),
  );
}
