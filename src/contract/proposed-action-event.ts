import * as z from "zod/mini";

/**
 * How a proposed action reaches someone who can carry it out: `portal`, the page showing the
 * answer must ask a person to confirm it; `webhook`, it is also being POSTed, signed, to the
 * operator's ACTION_WEBHOOK_URL (the outcome is logged, not streamed).
 */
export const ActionDelivery = z.enum(["portal", "webhook"]);
export type ActionDelivery = z.infer<typeof ActionDelivery>;

/** The model proposed an assignment. Never carried out by the server: a person or a webhook decides. */
export const ProposedActionEvent = z.object({
  type: z.literal("proposed_action"),
  /** The action's own id (the webhook's `X-KB-Delivery`); stable across retries. */
  id: z.string(),
  /** The `tool_call` that proposed it. */
  toolCallId: z.string(),
  action: z.literal("propose_assignment"),
  /** A team of the taxonomy, as the taxonomy spells it. */
  team: z.string(),
  priority: z.string(),
  reason: z.string(),
  delivery: ActionDelivery,
});
export type ProposedActionEvent = z.infer<typeof ProposedActionEvent>;
