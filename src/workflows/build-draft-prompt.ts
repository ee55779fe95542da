import { randomBytes } from "node:crypto";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { DraftAudience } from "../contract/draft-reply-request.js";
import type { Prompt } from "../prompts/prompt.js";
import { renderPrompt } from "../prompts/render-prompt.js";
import { labelKey } from "../taxonomy/label-key.js";
import type { DraftMaterial } from "./write-offline-draft.js";

/** Sources are trimmed to this many characters in all, best first. */
const maxSourceChars = 8_000;
/** The ticket's description and logs, each. Characters. */
const maxTicketFieldChars = 2_500;

export interface DraftPrompt {
  messages: ChatCompletionMessageParam[];
  version: string;
}

/**
 * The grounded prompt for a drafted reply; its system text is the draft-reply prompt file,
 * with each source opened by a line carrying a code made afresh for every request. For a reporter, past tickets are shown by their
 * resolution alone (no number, no title) and the ticket's `fields` are left out.
 */
export function buildDraftPrompt(
  material: DraftMaterial,
  audience: DraftAudience,
  prompt: Prompt,
  boundary: string = randomBytes(9).toString("hex"),
): DraftPrompt {
  let budget = maxSourceChars;
  const blocks: string[] = [];
  const add = (n: number, heading: string, text: string) => {
    const cut = text.slice(0, Math.max(0, budget));
    budget -= cut.length;
    blocks.push(`=== source ${n} ${boundary} ===\n${neutralise(`${heading}\n${cut}`, boundary)}`);
  };
  for (const { n, ticket } of material.pastTickets) {
    const heading =
      audience === "resolver"
        ? `Past ticket ${ticket.id}: ${ticket.title} (priority ${ticket.labels.priority ?? "unknown"})`
        : "A similar past ticket's resolution";
    add(n, heading, ticket.resolution ?? "");
  }
  for (const source of material.runbooks) {
    add(source.n, [source.title, ...source.headingPath].join(" › "), source.text);
  }
  const { triage, ticket } = material;
  const priority = triage.priority;
  const definition = priority
    ? material.taxonomy?.priorities.find((item) => labelKey(item.name) === labelKey(priority.label))
    : undefined;
  const triageLines = [
    `Summary: ${triage.summary}`,
    priority ? `Priority: ${priority.label} (${priority.reason})` : "Priority: not decided",
    definition
      ? `Priority ${definition.name} means: ${[definition.description, definition.impact].filter(Boolean).join(" ")}`
      : "",
    triage.team ? `Team: ${triage.team.label}` : "",
  ].filter(Boolean);
  const cut = (text: string | undefined) =>
    text && text.length > maxTicketFieldChars ? `${text.slice(0, maxTicketFieldChars)}…` : text;
  const ticketData = {
    ...(ticket.id ? { id: ticket.id } : {}),
    ...(ticket.title ? { title: ticket.title } : {}),
    ...(ticket.service ? { service: ticket.service } : {}),
    ...(ticket.description ? { description: cut(ticket.description) } : {}),
    ...(ticket.logs ? { logs: cut(ticket.logs) } : {}),
    ...(audience === "resolver" && ticket.fields ? { fields: ticket.fields } : {}),
  };
  const user = [
    `<sources>\n${blocks.join("\n\n")}\n</sources>`,
    `<triage>\n${neutralise(triageLines.join("\n"), boundary)}\n</triage>`,
    `<ticket>\n${neutralise(JSON.stringify(ticketData, null, 2), boundary)}\n</ticket>`,
    `Draft the ${audience === "reporter" ? "reply to the reporter" : "work note"}.`,
  ].join("\n\n");
  return {
    messages: [
      {
        role: "system",
        content: renderPrompt(prompt, { boundary, audience: prompt.audiences[audience] ?? "" }),
      },
      { role: "user", content: user },
    ],
    version: prompt.version,
  };
}

/** Data must not close its own block or carry this request's code. */
function neutralise(text: string, boundary: string): string {
  return text
    .replace(/<\/?(sources|ticket|triage)>/gi, (tag) => tag.replace("<", "‹"))
    .replaceAll(boundary, "…");
}
