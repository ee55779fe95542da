import * as z from "zod/mini";
import { DeltaEvent } from "./delta-event.js";
import { DoneEvent } from "./done-event.js";
import { ErrorEvent } from "./error-event.js";
import { ProposedActionEvent } from "./proposed-action-event.js";
import { SourcesEvent } from "./sources-event.js";
import { ToolCallEvent } from "./tool-call-event.js";
import { ToolResultEvent } from "./tool-result-event.js";
import { WarningEvent } from "./warning-event.js";

/**
 * The answer stream: `sources`, then `delta`s and `warning`s (and, with TOOLS on, `tool_call`,
 * `tool_result` and `proposed_action`), then `done` or `error`. On the wire `type` is the SSE
 * event name and the rest is its JSON data. The union is open: later event types add members,
 * and clients skip names they do not know.
 */
export const AnswerEvent = z.discriminatedUnion("type", [
  SourcesEvent,
  DeltaEvent,
  DoneEvent,
  ErrorEvent,
  WarningEvent,
  ToolCallEvent,
  ToolResultEvent,
  ProposedActionEvent,
]);
export type AnswerEvent = z.infer<typeof AnswerEvent>;
