import type { ActionWebhookBody } from "../contract/action-webhook-body.js";
import type { ProposedActionEvent } from "../contract/proposed-action-event.js";
import type { SourceSummary } from "../contract/source-summary.js";
import type { Source } from "../retrieval/source.js";
import type { ToolSession } from "./chat-with-tools.js";
import { summariseSource } from "./summarise-source.js";

/**
 * The tools' side of one answer: sections a tool retrieves join `sources` (the same array the
 * citations are checked against), numbered on; proposed actions are announced, and sent to
 * the webhook when one is configured.
 */
export function createToolSession(options: {
  sources: Source[];
  requestId: string;
  signal: AbortSignal | undefined;
  question: string;
  ticketId: string | undefined;
  deliverAction: ((action: ActionWebhookBody) => void) | undefined;
}): ToolSession {
  const { sources } = options;
  let cited: SourceSummary[] = [];
  let actions: ProposedActionEvent[] = [];
  return {
    contextFor(toolCallId) {
      return {
        requestId: options.requestId,
        signal: options.signal,
        sources: () => sources,
        cite(sections) {
          return sections.map((section) => {
            const known = sources.find((source) => source.id === section.id);
            if (known) return known;
            const source = { ...section, n: sources.length + 1 };
            sources.push(source);
            cited.push(summariseSource(source));
            return source;
          });
        },
        propose({ team, priority, reason }) {
          const body: ActionWebhookBody = {
            id: crypto.randomUUID(),
            action: "propose_assignment",
            team,
            priority,
            reason,
            requestId: options.requestId,
            question: options.question,
            ticketId: options.ticketId ?? null,
            proposedAt: new Date().toISOString(),
          };
          options.deliverAction?.(body);
          const event: ProposedActionEvent = {
            type: "proposed_action",
            id: body.id,
            toolCallId,
            action: body.action,
            team,
            priority,
            reason,
            delivery: options.deliverAction ? "webhook" : "portal",
          };
          actions.push(event);
          return event;
        },
      };
    },
    takeEffects() {
      const taken = { sources: cited, actions };
      cited = [];
      actions = [];
      return taken;
    },
  };
}
