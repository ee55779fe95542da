import * as z from "zod/mini";
import { Coverage } from "./coverage.js";
import { SourceSummary } from "./source-summary.js";

/** First event of an answer: the numbered sources it may cite. */
export const SourcesEvent = z.object({
  type: z.literal("sources"),
  requestId: z.string(),
  coverage: Coverage,
  sources: z.array(SourceSummary),
});
export type SourcesEvent = z.infer<typeof SourcesEvent>;
