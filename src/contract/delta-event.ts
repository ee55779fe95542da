import * as z from "zod/mini";

/** The next piece of the answer's markdown. */
export const DeltaEvent = z.object({
  type: z.literal("delta"),
  text: z.string(),
});
export type DeltaEvent = z.infer<typeof DeltaEvent>;
