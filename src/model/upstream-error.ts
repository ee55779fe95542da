import { APIConnectionTimeoutError, APIError } from "openai";
import { KbError } from "../errors.js";

/**
 * Translate an openai SDK failure into our vocabulary, once. The caller's own
 * abort is passed through untouched: a user stopping is not an upstream fault.
 */
export function toUpstreamError(error: unknown, what: string, signal?: AbortSignal): unknown {
  if (signal?.aborted) return error;
  if (error instanceof KbError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new KbError("upstream_timeout", `${what} timed out`, { cause: error });
  }
  if (error instanceof APIError && error.status !== undefined) {
    const code = error.status === 429 ? "rate_limited" : "upstream_error";
    return new KbError(code, `${what} failed with HTTP ${error.status}: ${error.message}`, {
      cause: error,
      details: { status: error.status },
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new KbError("upstream_error", `${what} failed: ${message}`, { cause: error });
}
