import type { ActionWebhookBody } from "../../contract/action-webhook-body.js";
import type { Logger } from "../../logger.js";
import { signActionBody } from "./sign-action-body.js";

export interface ActionWebhookOptions {
  url: string;
  secret: string;
  /** Attempts in all, the first included (ACTION_WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Wait before the second attempt; doubled for each one after, with jitter. Milliseconds, default 1000. */
  baseDelayMs?: number;
  /** Longest one attempt may take. Milliseconds, default 10000. */
  attemptTimeoutMs?: number;
  logger: Logger;
  fetch?: typeof fetch;
}

export type ActionDeliveryResult =
  | { delivered: true; attempts: number; status: number }
  | { delivered: false; attempts: number; status: number | null };

/** Sends one proposed action (retrying as below); `settle` is for shutting down. */
export interface ActionWebhook {
  (action: ActionWebhookBody): Promise<ActionDeliveryResult>;
  /**
   * Waits up to `timeoutMs` for the deliveries in progress, retries included; resolves with
   * the ids of the actions still undelivered then.
   */
  settle(timeoutMs: number): Promise<string[]>;
}

/**
 * POSTs proposed actions to the operator's webhook, signed (`X-KB-Signature`, over
 * `X-KB-Timestamp` and the body), retrying network failures, 429 and 5xx with exponential
 * backoff; another 4xx is final. The outcome is logged (`action delivered`, `action delivery
 * failed`) with the action's id and the attempts it took.
 */
export function createActionWebhook(options: ActionWebhookOptions): ActionWebhook {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  /** Deliveries in progress (retries included), by action id. */
  const pending = new Map<string, Promise<ActionDeliveryResult>>();
  const deliver = (action: ActionWebhookBody): Promise<ActionDeliveryResult> => {
    const delivery = attempt(action).finally(() => pending.delete(action.id));
    pending.set(action.id, delivery);
    return delivery;
  };
  const settle = async (timeoutMs: number): Promise<string[]> => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(pending.values()),
      new Promise((resolve) => {
        timer = setTimeout(resolve, Math.max(0, timeoutMs));
      }),
    ]);
    clearTimeout(timer);
    return [...pending.keys()];
  };
  const attempt = async (action: ActionWebhookBody): Promise<ActionDeliveryResult> => {
    const body = JSON.stringify(action);
    const fields = { actionId: action.id, requestId: action.requestId };
    let status: number | null = null;
    let attempts = 0;
    while (attempts < options.maxAttempts) {
      if (attempts > 0) {
        const delay = baseDelayMs * 2 ** (attempts - 1) * (0.5 + Math.random() / 2);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
      attempts++;
      // Signed afresh each attempt: receivers refuse old timestamps.
      const timestamp = Math.floor(Date.now() / 1000);
      try {
        const response = await fetchImpl(options.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-kb-delivery": action.id,
            "x-kb-timestamp": String(timestamp),
            "x-kb-signature": signActionBody(options.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(attemptTimeoutMs),
        });
        status = response.status;
        // The receiver's body is of no use to us; reading it frees the connection.
        await response.arrayBuffer().catch(() => {});
        if (response.ok) {
          options.logger.info("action delivered", { ...fields, attempts, status });
          return { delivered: true, attempts, status };
        }
        if (status !== 429 && status < 500) break;
      } catch (error) {
        status = null;
        options.logger.debug("action delivery attempt failed", { ...fields, attempts, error });
      }
    }
    options.logger.warn("action delivery failed", { ...fields, attempts, status });
    return { delivered: false, attempts, status };
  };
  return Object.assign(deliver, { settle });
}
