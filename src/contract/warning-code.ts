import * as z from "zod/mini";
import { ErrorCode } from "./error-code.js";

/**
 * Why an answer carries a warning. `unknown_citation`: the answer cites numbers that name
 * no source sent. An error code (`upstream_error`, `upstream_timeout`, `rate_limited`, …):
 * the model failed with it before writing anything, and the answer was extracted from the
 * sources instead. `tool_limit`: the model kept calling tools and wrote nothing, so the answer was
 * extracted. Newer servers may add codes: show their message as it is.
 */
export const WarningCode = z.enum(["unknown_citation", "tool_limit", ...ErrorCode.options]);
export type WarningCode = z.infer<typeof WarningCode>;
