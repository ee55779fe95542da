import * as z from "zod/mini";
import { ErrorCode } from "./error-code.js";

/** Last event of an answer that failed; `message` is safe to show, never the upstream's own text. */
export const ErrorEvent = z.object({
  type: z.literal("error"),
  requestId: z.string(),
  code: ErrorCode,
  message: z.string(),
});
export type ErrorEvent = z.infer<typeof ErrorEvent>;
