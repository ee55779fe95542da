import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { KbError } from "../../errors.js";

/** Bodies over `maxBytes` are refused with `payload_too_large` before any of them is parsed. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new KbError(
        "payload_too_large",
        `Request body is larger than ${maxBytes} bytes (MAX_BODY_BYTES)`,
      );
    },
  });
}
