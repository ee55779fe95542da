import type { KbError } from "../errors.js";

/**
 * The API's error shape for a KbError, shared by the Node app and the edge Worker.
 * `details` (which bad field, and why) only go with 4xx answers; callers decide
 * whether a 5xx message is safe to show.
 */
export function errorBody(
  error: KbError,
  message: string = error.message,
): { error: { code: string; message: string; details?: unknown } } {
  return {
    error: {
      code: error.code,
      message,
      ...(error.details === undefined || error.status >= 500 ? {} : { details: error.details }),
    },
  };
}
