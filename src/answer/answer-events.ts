import type { AnswerEvent } from "../contract/answer-event.js";
import type { WarningEvent } from "../contract/warning-event.js";
import { type ErrorCode, isAbortError, KbError, safeMessageByCode } from "../errors.js";
import type { Logger } from "../logger.js";

/** The events every answering workflow reports its failures and doubts with. */

export function unknownCitationWarning(unknown: number[], sourceCount: number): WarningEvent {
  const list = unknown.map((n) => `[${n}]`).join(", ");
  const found =
    sourceCount === 1 ? "only source 1 was found" : `only sources 1–${sourceCount} were found`;
  return {
    type: "warning",
    code: "unknown_citation",
    message: `The answer cites ${list}, but ${found}: check what ${unknown.length === 1 ? "it supports" : "they support"} against the sources.`,
    citations: unknown,
  };
}

/** Why the model wrote nothing, in words safe to show, and what the reader gets instead. */
export function fallbackMessage(code: ErrorCode): string {
  const reason =
    code === "rate_limited"
      ? "The model endpoint is rate limiting requests"
      : code === "upstream_timeout"
        ? "The model endpoint did not answer in time"
        : "The model endpoint failed";
  return `${reason}, so this answer was extracted from the sources instead.`;
}

export function errorCodeOf(error: unknown): ErrorCode {
  if (error instanceof KbError) return error.code;
  return isAbortError(error) ? "upstream_timeout" : "internal";
}

export function errorEvent(error: unknown, requestId: string, logger: Logger): AnswerEvent {
  const code = errorCodeOf(error);
  logger.error("answer failed", { requestId, code, error });
  const known = error instanceof KbError ? error : undefined;
  const message = safeMessageByCode[code] ?? known?.message ?? safeMessageByCode.internal ?? "";
  return { type: "error", requestId, code, message };
}
