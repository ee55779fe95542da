import type { Hono } from "hono";
import { TriageRequest } from "../../contract/triage-request.js";
import type { TriageResponse } from "../../contract/triage-response.js";
import { type TriageDeps, triageTicket } from "../../workflows/triage-ticket.js";
import type { AppEnv } from "../app-env.js";
import { parseInput, readJsonBody } from "../parse-request.js";

/** `POST /v1/triage`: category, priority, team, tags and a summary for a ticket, with what informed them. */
export function registerTriageRoutes(
  app: Hono<AppEnv>,
  deps: TriageDeps & { defaultTopK: number },
): void {
  app.post("/v1/triage", async (context) => {
    const request = parseInput(TriageRequest, await readJsonBody(context.req.raw));
    const response: TriageResponse = await triageTicket(
      deps,
      { ticket: request.ticket, topK: request.topK ?? deps.defaultTopK },
      { signal: context.req.raw.signal },
    );
    return context.json(response);
  });
}
