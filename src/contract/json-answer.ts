import * as z from "zod/mini";
import { DoneEvent } from "./done-event.js";
import { SourcesEvent } from "./sources-event.js";
import { WarningEvent } from "./warning-event.js";

const { type: _sources, ...sourcesFields } = SourcesEvent.shape;
const { type: _done, ...doneFields } = DoneEvent.shape;
const { type: _warning, ...warningFields } = WarningEvent.shape;

/**
 * A whole answer as one JSON object (`Accept: application/json` or `"stream": false`): the
 * `sources` and `done` events' fields with the deltas joined as `answer`, and the `warning`
 * events, in order, as `warnings` (always sent; optional for servers older than it). A
 * failed answer is an ErrorBody with its `requestId`.
 */
export const JsonAnswer = z.object({
  ...sourcesFields,
  answer: z.string(),
  ...doneFields,
  warnings: z.optional(z.array(z.object(warningFields))),
});
export type JsonAnswer = z.infer<typeof JsonAnswer>;
