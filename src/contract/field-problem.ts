import * as z from "zod/mini";

/** One bad field of a request: `ticket.title`, and what is wrong with it. */
export const FieldProblem = z.object({
  field: z.string(),
  message: z.string(),
});
export type FieldProblem = z.infer<typeof FieldProblem>;
