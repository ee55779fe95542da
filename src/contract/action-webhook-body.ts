import * as z from "zod/mini";

/**
 * What ACTION_WEBHOOK_URL receives: one proposed action, as JSON, signed (see the README's
 * "Actions and the webhook"). Proposed only: the receiver decides whether to carry it out.
 */
export const ActionWebhookBody = z.object({
  /** The action's id, also in `X-KB-Delivery` and the stream's `proposed_action`; the same on every retry. */
  id: z.string(),
  action: z.literal("propose_assignment"),
  team: z.string(),
  priority: z.string(),
  reason: z.string(),
  /** The answer that proposed it (its `X-Request-Id`). */
  requestId: z.string(),
  /** The question asked, and the ticket's id when the request named one. */
  question: z.string(),
  ticketId: z.nullable(z.string()),
  /** ISO 8601 UTC. */
  proposedAt: z.string(),
});
export type ActionWebhookBody = z.infer<typeof ActionWebhookBody>;
