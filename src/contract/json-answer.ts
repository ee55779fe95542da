import * as z from "zod/mini";
import { DoneEvent } from "./done-event.js";
import { ProposedActionEvent } from "./proposed-action-event.js";
import { SourcesEvent } from "./sources-event.js";
import { ToolCallEvent } from "./tool-call-event.js";
import { ToolResultEvent } from "./tool-result-event.js";
import { WarningEvent } from "./warning-event.js";

const { type: _sources, ...sourcesFields } = SourcesEvent.shape;
const { type: _done, ...doneFields } = DoneEvent.shape;
const { type: _warning, ...warningFields } = WarningEvent.shape;
const { type: _call, ...toolCallFields } = ToolCallEvent.shape;
const { type: _result, ...toolResultFields } = ToolResultEvent.shape;
const { type: _action, ...actionFields } = ProposedActionEvent.shape;

/**
 * A whole answer as one JSON object (`Accept: application/json` or `"stream": false`): the
 * `sources` and `done` events' fields with the deltas joined as `answer`, and the `warning`
 * events, in order, as `warnings` (always sent; optional for servers older than it). With
 * TOOLS on, `toolCalls`, `toolResults` and `proposedActions` list those events in order, and
 * `sources` holds the tools' sections too. A failed answer is an ErrorBody with its `requestId`.
 */
export const JsonAnswer = z.object({
  ...sourcesFields,
  answer: z.string(),
  ...doneFields,
  warnings: z.optional(z.array(z.object(warningFields))),
  toolCalls: z.optional(z.array(z.object(toolCallFields))),
  toolResults: z.optional(z.array(z.object(toolResultFields))),
  proposedActions: z.optional(z.array(z.object(actionFields))),
});
export type JsonAnswer = z.infer<typeof JsonAnswer>;
