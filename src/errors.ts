import type { ErrorCode } from "./contract/error-code.js";

/** The codes themselves are the contract's (src/contract/error-code.ts). */
export type { ErrorCode };

/**
 * The HTTP status of each stable error code, here so that the edge (and the
 * CLI's exit codes) map errors the same way everywhere.
 */
export const errorStatusByCode = {
  invalid_request: 400,
  invalid_config: 500,
  invalid_taxonomy: 500,
  invalid_service_catalogue: 500,
  invalid_prompt: 500,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_service: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  index_busy: 409,
  index_incompatible: 409,
  rate_limited: 429,
  overloaded: 503,
  index_not_ready: 503,
  index_unreadable: 503,
  upstream_error: 502,
  upstream_timeout: 504,
  shutting_down: 503,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

/**
 * What a client is told for failures whose own message may carry another system's words
 * (endpoint URLs, a provider's error text, an organisation id): those stay in the server log.
 */
export const safeMessageByCode: Partial<Record<ErrorCode, string>> = {
  rate_limited: "The model endpoint is rate limiting requests. Try again shortly.",
  upstream_error: "The model endpoint failed. Try again in a moment.",
  upstream_timeout: "The model endpoint did not answer in time. Try again in a moment.",
  internal:
    "The server failed to handle the request. The request id helps the operators find out what.",
};

export interface KbErrorOptions {
  details?: unknown;
  cause?: unknown;
  /** When trying again makes sense: sent as the Retry-After header. Seconds. */
  retryAfterSeconds?: number;
  /** Our own words, safe for any client, even with a code whose messages usually are not. */
  safeToShow?: boolean;
}

export class KbError extends Error {
  override readonly name = "KbError";
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly retryAfterSeconds: number | undefined;
  readonly safeToShow: boolean;

  constructor(code: ErrorCode, message: string, options: KbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = errorStatusByCode[code];
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.safeToShow = options.safeToShow ?? false;
  }
}

export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === "AbortError" ||
      error.name === "APIUserAbortError" ||
      error.name === "TimeoutError")
  );
}
