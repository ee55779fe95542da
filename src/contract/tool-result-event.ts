import * as z from "zod/mini";
import { SourceSummary } from "./source-summary.js";

/**
 * What a tool gave the model. `ok: false` carries `error` (`invalid_arguments`, `unknown_tool`,
 * `not_found`, `unknown_team`, `unknown_priority`, `tool_failed`; newer servers may add codes):
 * the model was told and goes on, so an answer still follows.
 */
export const ToolResultEvent = z.object({
  type: z.literal("tool_result"),
  /** The `tool_call` this answers. */
  id: z.string(),
  name: z.string(),
  ok: z.boolean(),
  /** What the model was given, when `ok`. */
  result: z.optional(z.unknown()),
  error: z.optional(z.object({ code: z.string(), message: z.string() })),
  /** Sections the tool retrieved, numbered after those already sent: the answer may cite them. */
  sources: z.optional(z.array(SourceSummary)),
  /** How long the tool ran. Milliseconds. */
  ms: z.number(),
});
export type ToolResultEvent = z.infer<typeof ToolResultEvent>;
