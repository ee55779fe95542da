import * as z from "zod/mini";
import { DoneEvent } from "./done-event.js";
import { SourcesEvent } from "./sources-event.js";

const { type: _sources, ...sourcesFields } = SourcesEvent.shape;
const { type: _done, ...doneFields } = DoneEvent.shape;

/**
 * A whole answer as one JSON object (`Accept: application/json` or `"stream": false`): the
 * `sources` and `done` events' fields with the deltas joined as `answer`. A failed answer is
 * an ErrorBody with its `requestId`.
 */
export const JsonAnswer = z.object({ ...sourcesFields, answer: z.string(), ...doneFields });
export type JsonAnswer = z.infer<typeof JsonAnswer>;
