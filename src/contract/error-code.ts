import * as z from "zod/mini";

/**
 * The stable error codes a client can meet: in error bodies, in the answer stream's `error`
 * event, and in the ingest CLI's `--json` summary. `src/errors.ts` gives each its HTTP status.
 */
export const ErrorCode = z.enum([
  "invalid_request",
  "invalid_config",
  "invalid_taxonomy",
  "invalid_service_catalogue",
  "invalid_prompt",
  "unauthorized",
  "forbidden",
  "not_found",
  "unknown_service",
  "method_not_allowed",
  "payload_too_large",
  "unsupported_media_type",
  "index_busy",
  "index_incompatible",
  "rate_limited",
  "overloaded",
  "index_not_ready",
  "index_unreadable",
  "upstream_error",
  "upstream_timeout",
  "shutting_down",
  "internal",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;
