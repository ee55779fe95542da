import type { Hono } from "hono";
import { DraftReplyRequest } from "../../contract/draft-reply-request.js";
import { type DraftReplyDeps, draftReply } from "../../workflows/draft-reply.js";
import type { AppEnv } from "../app-env.js";
import { parseInput, readJsonBody } from "../parse-request.js";
import { type AnswerPlumbing, serveAnswer } from "../serve-answer.js";

/** `POST /v1/draft-reply`: a first reply to a ticket, on the answer stream's contract. */
export function registerDraftReplyRoutes(
  app: Hono<AppEnv>,
  deps: DraftReplyDeps & AnswerPlumbing,
): void {
  app.post("/v1/draft-reply", async (context) => {
    const request = parseInput(DraftReplyRequest, await readJsonBody(context.req.raw));
    return serveAnswer(
      context,
      deps,
      ({ requestId, signal, logger }) =>
        draftReply(
          { ...deps, logger },
          {
            ticket: request.ticket,
            triage: request.triage,
            audience: request.audience ?? "reporter",
          },
          { requestId, signal },
        ),
      { json: request.stream === false },
    );
  });
}
