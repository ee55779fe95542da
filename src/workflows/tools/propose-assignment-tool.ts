import { z } from "zod";
import { defineTool, ToolError } from "../../answer/answer-tool.js";
import { labelKey } from "../../taxonomy/label-key.js";
import type { Taxonomy, TaxonomyLabel } from "../../taxonomy/taxonomy.js";

/**
 * `propose_assignment`: an action, never carried out here. The team and priority are checked
 * against the taxonomy (when there is one) and sent as the taxonomy spells them.
 */
export function proposeAssignmentTool(deps: { taxonomy: () => Taxonomy | null }) {
  return defineTool({
    name: "propose_assignment",
    description:
      "Propose assigning the ticket to a team with a priority. Only proposes: a person confirms it. Use the taxonomy's team and priority names.",
    parameters: z.strictObject({
      team: z.string().min(1).max(200),
      priority: z.string().min(1).max(50),
      reason: z.string().min(1).max(1_000).describe("Why this team and priority, briefly"),
    }),
    async run(args, context) {
      const taxonomy = deps.taxonomy();
      const team = taxonomy ? known(taxonomy.teams, args.team, "unknown_team", "team") : args.team;
      const priority = taxonomy
        ? known(taxonomy.priorities, args.priority, "unknown_priority", "priority")
        : args.priority;
      const action = context.propose({ team, priority, reason: args.reason });
      return {
        status: "proposed",
        id: action.id,
        team,
        priority,
        note:
          action.delivery === "webhook"
            ? "Proposed and sent for review; it has not been carried out. Say it was proposed, not done."
            : "Proposed to the reader, who must confirm it; it has not been carried out. Say it was proposed, not done.",
      };
    },
  });
}

/** The taxonomy's own spelling of a label, or a ToolError naming the ones it has. */
function known(labels: readonly TaxonomyLabel[], name: string, code: string, what: string): string {
  const match = labels.find((label) => labelKey(label.name) === labelKey(name));
  if (match) return match.name;
  const names = labels.slice(0, 30).map((label) => label.name);
  throw new ToolError(
    code,
    `No ${what} named ${JSON.stringify(name)}; the ${what}s are ${names.join(", ")}`,
  );
}
