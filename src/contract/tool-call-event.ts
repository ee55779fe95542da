import * as z from "zod/mini";

/** The model asked for a tool: sent before the tool runs, its `tool_result` follows. */
export const ToolCallEvent = z.object({
  type: z.literal("tool_call"),
  /** Pairs this call with its `tool_result` (and a `proposed_action`); unique within an answer. */
  id: z.string(),
  /** `search_kb`, `open_section`, `lookup_service`, `find_similar_tickets`, `propose_assignment`. */
  name: z.string(),
  /** The arguments as the model wrote them: parsed JSON, or the raw text when it was not JSON. */
  arguments: z.unknown(),
});
export type ToolCallEvent = z.infer<typeof ToolCallEvent>;
