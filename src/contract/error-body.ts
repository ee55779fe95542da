import * as z from "zod/mini";
import { ErrorCode } from "./error-code.js";

/**
 * Every error response: `{ error: { code, message, details? } }`. `details` goes with 4xx
 * answers only (for `invalid_request`, a list of FieldProblem). A JSON answer that fails
 * also carries its `requestId`.
 */
export const ErrorBody = z.object({
  requestId: z.optional(z.string()),
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    details: z.optional(z.unknown()),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * The error body for a failure (a KbError), shared by the Node app and the edge Worker.
 * Callers decide whether a 5xx message is safe to show.
 */
export function errorBody(
  error: { code: ErrorCode; status: number; message: string; details: unknown },
  message: string = error.message,
): ErrorBody {
  return {
    error: {
      code: error.code,
      message,
      ...(error.details === undefined || error.status >= 500 ? {} : { details: error.details }),
    },
  };
}
