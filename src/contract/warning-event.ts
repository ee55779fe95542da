import * as z from "zod/mini";
import { WarningCode } from "./warning-code.js";

/**
 * Something the reader should know about an answer that still arrives: between `sources` and
 * `done`, any number of them. In the JSON answer they are listed under `warnings`.
 */
export const WarningEvent = z.object({
  type: z.literal("warning"),
  code: WarningCode,
  /** Safe to show; never the upstream's own text. */
  message: z.string(),
  /** With `unknown_citation`: the numbers cited that name no source sent, ascending. */
  citations: z.optional(z.array(z.int())),
});
export type WarningEvent = z.infer<typeof WarningEvent>;
