import { createHmac } from "node:crypto";

/**
 * The webhook's signature: HMAC-SHA256, keyed with ACTION_WEBHOOK_SECRET, over the timestamp,
 * a dot and the exact body bytes, as lowercase hex. The timestamp is signed so that a captured
 * request cannot be replayed later with a fresh one.
 */
export function signActionBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}
