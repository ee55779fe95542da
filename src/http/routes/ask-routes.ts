import type { Context, Hono } from "hono";
import { type AnswerDeps, answerQuestion } from "../../answer/answer-question.js";
import { AskRequest } from "../../contract/ask-request.js";
import type { AppEnv } from "../app-env.js";
import { parseInput, queryToAskInput, readJsonBody } from "../parse-request.js";
import { type AnswerPlumbing, serveAnswer } from "../serve-answer.js";
import { toSearchQuery } from "../to-search-query.js";

export interface AskRouteDeps extends AnswerDeps, AnswerPlumbing {
  defaultTopK: number;
}

/** `POST /v1/ask`, and `GET /v1/ask` for EventSource: the answer stream, or one JSON object. */
export function registerAskRoutes(app: Hono<AppEnv>, deps: AskRouteDeps): void {
  const ask = async (context: Context<AppEnv>, input: unknown) => {
    const request = parseInput(AskRequest, input);
    return serveAnswer(
      context,
      deps,
      ({ requestId, signal, logger }) =>
        answerQuestion(
          { ...deps, logger },
          { ...toSearchQuery(request, deps.defaultTopK), history: request.history },
          { requestId, signal },
        ),
      { json: request.stream === false },
    );
  };

  app.post("/v1/ask", async (context) => ask(context, await readJsonBody(context.req.raw)));
  app.get("/v1/ask", async (context) => ask(context, queryToAskInput(new URL(context.req.url))));
}
