import { z } from "zod";
import { defineTool, ToolError } from "../../answer/answer-tool.js";

/** A service catalogue entry by name (JSON-able), or undefined when the catalogue has none. */
export type LookupService = (name: string) => unknown | undefined;

/** `lookup_service`: who owns a service, its on-call, tier and dependencies. */
export function lookupServiceTool(lookupService: LookupService) {
  return defineTool({
    name: "lookup_service",
    description:
      "Look a service up in the service catalogue: owner team, on-call, tier, dependencies, runbooks.",
    parameters: z.strictObject({ name: z.string().min(1).max(200).describe("The service's name") }),
    async run(args) {
      const entry = lookupService(args.name);
      if (entry === undefined) {
        throw new ToolError(
          "not_found",
          `No service named ${JSON.stringify(args.name)} in the catalogue`,
        );
      }
      return entry;
    },
  });
}
