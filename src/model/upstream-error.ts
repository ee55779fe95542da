import { APIConnectionTimeoutError, APIError } from "openai";
import { KbError } from "../errors.js";

export interface UpstreamErrorOptions {
  /** The caller's own signal: once it fired, the failure is passed through untouched. */
  signal?: AbortSignal | undefined;
  /** Our deadline for the call, when we set one: once it fired, the failure is a timeout. */
  deadline?: AbortSignal | undefined;
  /** The deadline's length, for the message. Milliseconds. */
  timeoutMs?: number | undefined;
}

/**
 * Translate a failed upstream call (openai SDK or plain fetch) into our
 * vocabulary, once: 429 is `rate_limited`, timeouts `upstream_timeout`, other
 * failures `upstream_error`. The caller's own abort is passed through
 * untouched: a user stopping is not an upstream fault. `what` names the call
 * and its endpoint, e.g. "Rerank request to http://127.0.0.1:8000/v1/rerank".
 */
export function toUpstreamError(
  error: unknown,
  what: string,
  options: UpstreamErrorOptions = {},
): unknown {
  if (options.signal?.aborted) return error;
  if (options.deadline?.aborted || error instanceof APIConnectionTimeoutError) {
    const took =
      options.timeoutMs === undefined ? "timed out" : `took longer than ${options.timeoutMs} ms`;
    return new KbError("upstream_timeout", `${what} ${took}`, { cause: error });
  }
  if (error instanceof KbError) return error;
  if (error instanceof APIError && error.status !== undefined) {
    return upstreamStatusError(error.status, what, { cause: error, reason: error.message });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new KbError("upstream_error", `${what} failed: ${message}`, { cause: error });
}

/** An upstream answer with a failing HTTP status, for clients that see the Response themselves (fetch). */
export function upstreamStatusError(
  status: number,
  what: string,
  options: { cause?: unknown; reason?: string } = {},
): KbError {
  const code = status === 429 ? "rate_limited" : "upstream_error";
  const reason = options.reason === undefined ? "" : `: ${options.reason}`;
  return new KbError(code, `${what} failed with HTTP ${status}${reason}`, {
    ...(options.cause === undefined ? {} : { cause: options.cause }),
    details: { status },
  });
}
