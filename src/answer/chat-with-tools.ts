import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import type { ProposedActionEvent } from "../contract/proposed-action-event.js";
import type { SourceSummary } from "../contract/source-summary.js";
import type { ToolCallEvent } from "../contract/tool-call-event.js";
import type { ToolResultEvent } from "../contract/tool-result-event.js";
import { isAbortError, KbError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { ChatModel } from "../model/chat-model.js";
import type { ChatFinishReason, ChatTokenUsage, ChatToolCall } from "../model/chat-stream-part.js";
import { streamChatCompletion } from "../model/stream-chat-completion.js";
import {
  type AnswerTool,
  type AnswerTools,
  type ToolContext,
  ToolError,
  toChatTool,
} from "./answer-tool.js";

/** One tool call's context, and what the call cited and proposed, taken after it ran. */
export interface ToolSession {
  contextFor(toolCallId: string): ToolContext;
  takeEffects(): { sources: SourceSummary[]; actions: ProposedActionEvent[] };
}

export type ToolRoundPart =
  | { type: "text"; text: string }
  | { type: "event"; event: ToolCallEvent | ToolResultEvent | ProposedActionEvent }
  | {
      type: "finish";
      /** `tool_limit`: the model still called tools when told to answer. */
      finishReason: ChatFinishReason | "tool_limit";
      /** Summed over every round. */
      usage: ChatTokenUsage | null;
    };

/** What the model is sent when a tool's result is larger: the end is cut. Characters. */
const maxResultChars = 12_000;

/**
 * A model answer with tools: each round streams the model's text; when the model calls tools,
 * each call is announced, run (arguments checked first; a failure is the model's to read, never
 * thrown) and its result sent back, for at most `maxSteps` rounds. Then the model is asked once
 * more with tool_choice "none"; still calling tools, the answer finishes with `tool_limit`.
 * `chat.totalTimeoutMs` bounds all the rounds together, not each one.
 */
export async function* chatWithTools(
  chat: ChatModel,
  messages: ChatCompletionMessageParam[],
  tools: AnswerTools,
  session: ToolSession,
  options: {
    signal: AbortSignal | undefined;
    logger: Logger;
    requestId: string;
    /** Told to the model with the tools, after the prompt's own instructions (`tools.md`). */
    guidance: string;
  },
): AsyncGenerator<ToolRoundPart> {
  const offered: ChatCompletionTool[] = tools.list.map(toChatTool);
  const byName = new Map(tools.list.map((tool) => [tool.name, tool]));
  const conversation: ChatCompletionMessageParam[] = [
    ...messages,
    { role: "system", content: options.guidance },
  ];
  const seenIds = new Set<string>();
  let usage: ChatTokenUsage | null = null;
  // UPSTREAM_TOTAL_TIMEOUT_MS bounds the whole answer, every round and tool run together.
  const endsAt = performance.now() + chat.totalTimeoutMs;
  for (let step = 0; ; step++) {
    const mustAnswer = step >= tools.maxSteps;
    let text = "";
    let calls: ChatToolCall[] = [];
    let finishReason: ChatFinishReason = "stop";
    const round = { ...chat, totalTimeoutMs: Math.max(1, Math.round(endsAt - performance.now())) };
    for await (const part of streamChatCompletion(round, conversation, options.signal, {
      tools: offered,
      toolChoice: mustAnswer ? "none" : "auto",
    })) {
      if (part.type === "text") {
        text += part.text;
        yield part;
      } else {
        finishReason = part.finishReason;
        calls = part.toolCalls ?? [];
        usage = addUsage(usage, part.usage);
      }
    }
    if (calls.length === 0) {
      yield { type: "finish", finishReason, usage };
      return;
    }
    if (mustAnswer) {
      yield { type: "finish", finishReason: "tool_limit", usage };
      return;
    }
    // Events pair calls with results by id: a model that repeats one gets it made unique.
    const unique = calls.map((call) => {
      const id = seenIds.has(call.id) ? `${call.id}_${step}` : call.id;
      seenIds.add(id);
      return { ...call, id };
    });
    conversation.push({
      role: "assistant",
      content: text === "" ? null : text,
      tool_calls: unique.map((call) => ({
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: call.arguments },
      })),
    });
    for (const call of unique) {
      yield {
        type: "event",
        event: { type: "tool_call", id: call.id, name: call.name, arguments: readArguments(call) },
      };
      const started = performance.now();
      const outcome = await runToolCall(byName.get(call.name), call, session.contextFor(call.id), {
        ...options,
        known: [...byName.keys()],
      });
      const ms = Math.round(performance.now() - started);
      const { sources, actions } = session.takeEffects();
      yield {
        type: "event",
        event: {
          type: "tool_result",
          id: call.id,
          name: call.name,
          ...outcome,
          ...(sources.length > 0 ? { sources } : {}),
          ms,
        },
      };
      for (const action of actions) yield { type: "event", event: action };
      const content = JSON.stringify(outcome.ok ? outcome.result : { error: outcome.error });
      conversation.push({
        role: "tool",
        tool_call_id: call.id,
        content: content.length > maxResultChars ? `${content.slice(0, maxResultChars)}…` : content,
      });
    }
  }
}

type ToolOutcome =
  | { ok: true; result: unknown }
  | { ok: false; error: { code: string; message: string } };

/** Runs one call; anything that goes wrong becomes an error result, except the client leaving. */
async function runToolCall(
  tool: AnswerTool | undefined,
  call: ChatToolCall,
  context: ToolContext,
  options: { signal: AbortSignal | undefined; logger: Logger; requestId: string; known: string[] },
): Promise<ToolOutcome> {
  const failed = (code: string, message: string): ToolOutcome => ({
    ok: false,
    error: { code, message },
  });
  if (!tool) {
    return failed(
      "unknown_tool",
      `No tool named ${JSON.stringify(call.name)}; the tools are ${options.known.join(", ")}`,
    );
  }
  let raw: unknown;
  try {
    raw = call.arguments.trim() === "" ? {} : JSON.parse(call.arguments);
  } catch {
    return failed("invalid_arguments", `${tool.name}: the arguments are not JSON`);
  }
  const args = tool.parameters.safeParse(raw);
  if (!args.success) {
    const problems = args.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join(".") || "(arguments)"}: ${issue.message}`);
    return failed("invalid_arguments", `${tool.name}: ${problems.join("; ")}`);
  }
  try {
    return { ok: true, result: await tool.run(args.data, context) };
  } catch (error) {
    if (options.signal?.aborted || isAbortError(error)) throw error;
    if (error instanceof ToolError) return failed(error.code, error.message);
    // The model and the reader see a code, never our internals; the log keeps the cause.
    options.logger.warn("tool failed", { requestId: options.requestId, tool: tool.name, error });
    const code = error instanceof KbError ? error.code : "internal";
    return failed(
      "tool_failed",
      `${tool.name} failed (${code}); try another way or answer from what you have`,
    );
  }
}

/** The arguments as an event shows them: parsed when they are JSON, else the text as sent. */
function readArguments(call: ChatToolCall): unknown {
  try {
    return call.arguments.trim() === "" ? {} : JSON.parse(call.arguments);
  } catch {
    return call.arguments;
  }
}

function addUsage(
  total: ChatTokenUsage | null,
  more: ChatTokenUsage | null,
): ChatTokenUsage | null {
  if (!more) return total;
  if (!total) return more;
  return {
    promptTokens: total.promptTokens + more.promptTokens,
    completionTokens: total.completionTokens + more.completionTokens,
    totalTokens: total.totalTokens + more.totalTokens,
  };
}
