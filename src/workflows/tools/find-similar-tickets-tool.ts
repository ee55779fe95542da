import { z } from "zod";
import { defineTool } from "../../answer/answer-tool.js";
import type { SearchDeps } from "../../retrieval/search-kb.js";
import { findSimilar } from "../find-similar.js";

/** `find_similar_tickets`: past tickets and incident writeups like a description, with what fixed them. */
export function findSimilarTicketsTool(deps: SearchDeps) {
  return defineTool({
    name: "find_similar_tickets",
    description:
      "Find past tickets and incident writeups like a problem description, with their resolutions and who handled them.",
    parameters: z.strictObject({
      text: z.string().min(1).max(4_000).describe("The problem, in the ticket's words"),
    }),
    async run(args, context) {
      const found = await findSimilar(
        deps,
        { ticket: { description: args.text }, topK: 5 },
        { signal: context.signal },
      );
      return {
        tickets: found.tickets.map((ticket) => ({
          id: ticket.id,
          title: ticket.title,
          resolution: ticket.resolution,
          resolvedAt: ticket.resolvedAt,
          labels: ticket.labels,
        })),
        incidents: found.incidents.map((incident) => ({
          id: incident.id,
          title: incident.title,
          rootCause: incident.rootCause,
          resolution: incident.resolution,
          date: incident.date,
        })),
      };
    },
  });
}
