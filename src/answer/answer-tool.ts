import { z } from "zod";
import type { ActionWebhookBody } from "../contract/action-webhook-body.js";
import type { ProposedActionEvent } from "../contract/proposed-action-event.js";
import type { Source } from "../retrieval/source.js";

/** What a tool may do besides returning its result: make sections citable, propose an action. */
export interface ToolContext {
  requestId: string;
  signal: AbortSignal | undefined;
  /** The sources so far, numbered: the retrieved ones, then those tools added. */
  sources(): readonly Source[];
  /** Numbers sections after those already sent (a section sent already keeps its number). */
  cite(sections: readonly Omit<Source, "n">[]): Source[];
  /** Announces an action for a person (or the webhook) to decide on; never carries it out. */
  propose(action: Pick<ActionWebhookBody, "team" | "priority" | "reason">): ProposedActionEvent;
}

/** A function the model may call: its arguments are checked against `parameters` before `run`. */
export interface AnswerTool {
  name: string;
  /** Told to the model: what the tool is for and when to call it. */
  description: string;
  parameters: z.ZodType;
  /** The result is sent to the model as JSON. Throw a ToolError for a failure the model should read. */
  run(args: unknown, context: ToolContext): Promise<unknown>;
}

/** Types `run`'s arguments by the schema that checked them. */
export function defineTool<Schema extends z.ZodType>(tool: {
  name: string;
  description: string;
  parameters: Schema;
  run(args: z.output<Schema>, context: ToolContext): Promise<unknown>;
}): AnswerTool {
  return { ...tool, run: (args, context) => tool.run(args as z.output<Schema>, context) };
}

/** A failure the model is told about (as `{"error":{code,message}}`), so it can try otherwise. */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ToolError";
  }
}

/** The tools of one app, and how many rounds of them an answer may take. */
export interface AnswerTools {
  list: readonly AnswerTool[];
  /** Rounds of tool calls before the model is asked to answer without tools (TOOL_MAX_STEPS). */
  maxSteps: number;
  /** Sends a proposed action to the operator's webhook; absent: the portal alone is told. */
  deliverAction?: ((action: ActionWebhookBody) => void) | undefined;
}

/** The model's view of a tool: the OpenAI `function` tool, its parameters as JSON Schema. */
export function toChatTool(tool: AnswerTool) {
  const { $schema: _schema, ...parameters } = z.toJSONSchema(tool.parameters, { io: "input" });
  return {
    type: "function" as const,
    function: { name: tool.name, description: tool.description, parameters },
  };
}
