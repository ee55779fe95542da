import { z } from "zod";
import type { Ticket } from "../contract/ticket.js";
import type { OtherProblem, TriageLabel } from "../contract/triage-response.js";
import { KbError } from "../errors.js";
import type { ChatModel } from "../model/chat-model.js";
import { parseJsonObject } from "../model/parse-json-object.js";
import { toUpstreamError } from "../model/upstream-error.js";
import type { Prompt } from "../prompts/prompt.js";
import { renderPrompt } from "../prompts/render-prompt.js";
import { labelKey } from "../taxonomy/label-key.js";
import type { TriageField } from "../triage/triage-model.js";

/** The labels a model may choose from, per field, and the tag vocabulary (empty: free tags). */
export interface LabelChoices {
  category: readonly string[];
  priority: readonly string[];
  team: readonly string[];
  tags: readonly string[];
  /** One line per label worth telling the model: a definition, keywords, services owned. */
  notes: readonly string[];
}

/** A past ticket shown to the model with the labels the desk gave it. */
export interface LabelledExample {
  title: string;
  labels: Partial<Record<TriageField, string | null>>;
}

export interface ModelTriage {
  labels: Record<TriageField, TriageLabel | null>;
  tags: TriageLabel[];
  summary: string;
  others: OtherProblem[];
}

/**
 * Triage by a chat model: structured output (a JSON schema naming the allowed
 * labels) checked with zod; a reply that is malformed or names a label
 * outside the choices is sent back once with what was wrong, then reported as
 * an upstream error, never passed through. A refusal is an upstream error too.
 */
export async function triageWithModel(
  chat: ChatModel,
  input: {
    ticket: Ticket;
    choices: LabelChoices;
    examples: readonly LabelledExample[];
    /** The `triage` prompt file: the instructions, its version traced in the response. */
    prompt: Prompt;
  },
  options: { signal?: AbortSignal | undefined } = {},
): Promise<ModelTriage> {
  const { choices } = input;
  const what = `Triage request to ${chat.client.baseURL} (model ${chat.model})`;
  const messages: { role: "system" | "user" | "assistant"; content: string }[] = [
    { role: "system", content: instructions(choices, input.prompt) },
    { role: "user", content: ticketMessage(input.ticket, input.examples) },
  ];
  const reply = replySchema(choices);
  let problems = "";
  for (let attempt = 0; attempt < 2; attempt++) {
    const content = await complete(chat, messages, choices, what, options.signal);
    const parsed = reply.safeParse(parseJsonObject(content));
    if (parsed.success) return toModelTriage(parsed.data, choices, chat.model);
    problems = parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "reply"}: ${issue.message}`)
      .join("; ");
    messages.push(
      { role: "assistant", content },
      {
        role: "user",
        content: `That reply was not valid: ${problems}. Reply again with only the JSON object, using only the allowed labels.`,
      },
    );
  }
  throw new KbError("upstream_error", `${what} returned invalid triage twice: ${problems}`, {
    details: { problems },
  });
}

async function complete(
  chat: ChatModel,
  messages: { role: "system" | "user" | "assistant"; content: string }[],
  choices: LabelChoices,
  what: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  let message: { content?: string | null; refusal?: string | null } | undefined;
  try {
    const completion = await chat.client.chat.completions.create(
      {
        model: chat.model,
        messages,
        max_tokens: Math.min(chat.maxTokens, 600),
        temperature: 0,
        stream: false,
        response_format: {
          type: "json_schema",
          json_schema: { name: "triage", strict: true, schema: jsonSchema(choices) },
        },
      },
      { signal, timeout: chat.timeoutMs },
    );
    message = completion.choices?.[0]?.message;
  } catch (error) {
    throw toUpstreamError(error, what, { signal, timeoutMs: chat.timeoutMs });
  }
  if (message?.refusal) throw new KbError("upstream_error", `${what} refused: ${message.refusal}`);
  return message?.content ?? "";
}

function instructions(choices: LabelChoices, prompt: Prompt): string {
  const list = (name: string, labels: readonly string[]) =>
    `${name}: ${labels.map((label) => JSON.stringify(label)).join(", ")}`;
  return renderPrompt(prompt, {
    labels: [
      list("category", choices.category),
      list("priority (most urgent first)", choices.priority),
      list("team", choices.team),
      ...(choices.tags.length > 0 ? [list("tags", choices.tags)] : []),
    ].join("\n"),
    tags: choices.tags.length > 0 ? "from the allowed tags" : "(lowercase words of the problem)",
    notes: choices.notes.length > 0 ? ["What the labels mean:", ...choices.notes].join("\n") : "",
  });
}

function ticketMessage(ticket: Ticket, examples: readonly LabelledExample[]): string {
  const fields = [
    ticket.title ? `Title: ${ticket.title}` : null,
    ticket.service ? `Service: ${ticket.service}` : null,
    ticket.description ? `Description:\n${ticket.description.slice(0, 4_000)}` : null,
    ticket.logs ? `Logs:\n${ticket.logs.slice(0, 1_500)}` : null,
  ].filter((line): line is string => line !== null);
  const shown = examples.slice(0, 5).map((example) => {
    const labels = Object.entries(example.labels)
      .filter(([, value]) => value)
      .map(([field, value]) => `${field}=${value}`)
      .join(", ");
    return `- ${example.title} (${labels})`;
  });
  return [
    `<ticket>\n${fields.join("\n")}\n</ticket>`,
    shown.length > 0
      ? `<examples>\nSimilar past tickets and how the desk labelled them:\n${shown.join("\n")}\n</examples>`
      : "",
  ].join("\n");
}

const oneOf = (labels: readonly string[]) => {
  const keys = new Set(labels.map(labelKey));
  return z.string().refine((label) => keys.has(labelKey(label)), {
    message: `must be one of ${labels.map((label) => JSON.stringify(label)).join(", ")}`,
  });
};

function replySchema(choices: LabelChoices) {
  const label = (labels: readonly string[]) =>
    z.object({ label: oneOf(labels), confidence: z.number().min(0).max(1) });
  const tag = choices.tags.length > 0 ? oneOf(choices.tags) : z.string().trim().min(1).max(40);
  return z.object({
    category: label(choices.category),
    priority: label(choices.priority),
    team: label(choices.team),
    tags: z.array(tag).min(3).max(5),
    summary: z.string().trim().min(1).max(300),
    others: z
      .array(
        z.object({
          summary: z.string().trim().min(1).max(300),
          category: oneOf(choices.category),
          priority: oneOf(choices.priority),
          team: oneOf(choices.team),
        }),
      )
      .max(5),
  });
}

function jsonSchema(choices: LabelChoices): Record<string, unknown> {
  const strictObject = (properties: Record<string, unknown>) => ({
    type: "object",
    additionalProperties: false,
    required: Object.keys(properties),
    properties,
  });
  const label = (labels: readonly string[]) =>
    strictObject({ label: { type: "string", enum: labels }, confidence: { type: "number" } });
  const tag = choices.tags.length > 0 ? { type: "string", enum: choices.tags } : { type: "string" };
  return strictObject({
    category: label(choices.category),
    priority: label(choices.priority),
    team: label(choices.team),
    tags: { type: "array", items: tag },
    summary: { type: "string" },
    others: {
      type: "array",
      items: strictObject({
        summary: { type: "string" },
        category: { type: "string", enum: choices.category },
        priority: { type: "string", enum: choices.priority },
        team: { type: "string", enum: choices.team },
      }),
    },
  });
}

type Reply = z.infer<ReturnType<typeof replySchema>>;

/** Labels spelled as the taxonomy spells them. */
function toModelTriage(reply: Reply, choices: LabelChoices, model: string): ModelTriage {
  const spelled = (labels: readonly string[], label: string) =>
    labels.find((name) => labelKey(name) === labelKey(label)) ?? label;
  const reason = `chosen by ${model}`;
  const label = (
    field: TriageField,
    value: { label: string; confidence: number },
  ): TriageLabel => ({
    label: spelled(choices[field], value.label),
    confidence: Math.round(value.confidence * 1000) / 1000,
    reason,
  });
  const other = (field: TriageField, value: string): TriageLabel => ({
    label: spelled(choices[field], value),
    confidence: 0,
    reason,
  });
  return {
    labels: {
      category: label("category", reply.category),
      priority: label("priority", reply.priority),
      team: label("team", reply.team),
    },
    tags: [
      ...new Set(
        reply.tags.map((tag) =>
          choices.tags.length > 0 ? spelled(choices.tags, tag) : tag.toLowerCase(),
        ),
      ),
    ].map((tag) => ({ label: tag, confidence: 1, reason })),
    summary: reply.summary,
    others: reply.others.map((problem) => ({
      summary: problem.summary,
      category: other("category", problem.category),
      priority: other("priority", problem.priority),
      team: other("team", problem.team),
    })),
  };
}
