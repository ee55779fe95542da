import { setTimeout as sleep } from "node:timers/promises";
import type { EventSourceMessage } from "eventsource-parser";
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import { z } from "zod";
import { KbError } from "../errors.js";
import { parseJsonOrUndefined } from "../text/parse-json.js";
import type { ChatModel } from "./chat-model.js";
import type {
  ChatFinishReason,
  ChatStreamPart,
  ChatTokenUsage,
  ChatToolCall,
} from "./chat-stream-part.js";
import { createStreamDeadline } from "./create-stream-deadline.js";
import { responseBodyOf } from "./node-http-fetch.js";
import { readServerSentEvents } from "./read-server-sent-events.js";
import { toUpstreamError } from "./upstream-error.js";

/** How long the rest of a body may take after `[DONE]` before the request is closed. */
const drainAfterDoneMs = 1_000;

/**
 * A read this large may have left more behind (a Node stream buffers 16 KiB before it stops
 * reading the socket): the next read follows at once, so a fast model is never held back.
 */
const fullReadChars = 16 * 1024;

/** A model asking for more calls than this in one turn is refused as malformed. */
const maxToolCallsPerTurn = 16;

/** Upstream chunks are untrusted: servers differ in what they send. */
const ChatChunk = z.object({
  choices: z
    .array(
      z.object({
        delta: z
          .object({
            content: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().int().min(0).max(maxToolCallsPerTurn),
                  id: z.string().nullish(),
                  function: z
                    .object({ name: z.string().nullish(), arguments: z.string().nullish() })
                    .nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .default([]),
  usage: z
    .object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() })
    .nullish(),
  /** Some servers report a failure mid-stream as a chunk with an `error`. */
  error: z.object({ message: z.string().nullish() }).loose().nullish(),
});

/** Tools offered to the model, and whether it may call them (`none`: it must answer now). */
export interface ChatToolOptions {
  tools: ChatCompletionTool[];
  toolChoice: "auto" | "none";
}

/**
 * Stream a chat completion through the openai SDK. The SDK retries 429/5xx
 * before the stream starts; once text flows nothing is retried. The upstream
 * may stay silent for `chat.timeoutMs` at a time (before its first chunk,
 * retries included, and between chunks) and take `chat.totalTimeoutMs` in all;
 * either limit ends it with `upstream_timeout`. The caller's abort (a client
 * leaving) aborts the upstream request and is passed through; other failures
 * become KbErrors with stable codes.
 */
export function streamChatCompletion(
  chat: ChatModel,
  messages: ChatCompletionMessageParam[],
  signal: AbortSignal | undefined,
  toolOptions?: ChatToolOptions,
): AsyncGenerator<ChatStreamPart> {
  // An answer streams for seconds and its prompt is most of what it would hold meanwhile: the
  // generator gets the messages through a closure that lets go of them once the request is made.
  let prompt: ChatCompletionMessageParam[] | undefined = messages;
  const takePrompt = () => {
    const taken = prompt ?? [];
    prompt = undefined;
    return taken;
  };
  return readChatCompletion(chat, takePrompt, signal, toolOptions);
}

async function* readChatCompletion(
  chat: ChatModel,
  takePrompt: () => ChatCompletionMessageParam[],
  signal: AbortSignal | undefined,
  toolOptions: ChatToolOptions | undefined,
): AsyncGenerator<ChatStreamPart> {
  const deadline = createStreamDeadline({ idleMs: chat.timeoutMs, totalMs: chat.totalTimeoutMs });
  // After [DONE] the body is read to its end so that the connection is reused, but not waited
  // for longer than this: an upstream that keeps the body open must not hold the answer's end.
  const afterDone = new AbortController();
  let drainTimer: NodeJS.Timeout | undefined;
  const combined = AbortSignal.any(
    signal ? [signal, deadline.signal, afterDone.signal] : [deadline.signal, afterDone.signal],
  );
  const what = `Chat completion from ${chat.client.baseURL} (model ${chat.model})`;
  const timedOut = (cause?: unknown) =>
    new KbError(
      "upstream_timeout",
      deadline.expired === "idle"
        ? `${what} sent nothing for ${chat.timeoutMs} ms`
        : `${what} took longer than ${chat.totalTimeoutMs} ms in all`,
      cause === undefined ? {} : { cause },
    );
  let finishReason: ChatFinishReason | undefined;
  let usage: ChatTokenUsage | null = null;
  /** The upstream sent `[DONE]`: later events are ignored. */
  let completed = false;
  // An endpoint that ignores max_tokens must not stream without end: a token is about four
  // characters of English, so twice that is a generous bound on our side.
  const maxChars = chat.maxTokens * charsPerTokenBound;
  let streamedChars = 0;
  /** The answer reached the length bound on our side: reading stops there. */
  let cut = false;
  /** Tool calls by their index in the turn, their argument text joined from fragments. */
  const toolCalls = new Map<number, ChatToolCall>();
  try {
    try {
      // The raw body, read by our own parser: the SDK still makes the request (retries,
      // status errors, its timeout, the abort), but its per-chunk stream stack is the
      // largest per-token cost under hundreds of streams (docs/answer-cost.md). On the
      // server's client (createChatModel) the body is a Node stream, not a web stream.
      const response = await chat.client.chat.completions
        .create(
          {
            model: chat.model,
            messages: takePrompt(),
            stream: true,
            stream_options: { include_usage: true },
            max_tokens: chat.maxTokens,
            temperature: chat.temperature,
            ...(toolOptions && { tools: toolOptions.tools, tool_choice: toolOptions.toolChoice }),
          },
          // Our deadline, not the SDK's per-attempt timeout, must fire first: only it tells a timeout from a cut.
          { signal: combined, timeout: chat.timeoutMs + 5_000 },
        )
        .asResponse();
      const body = responseBodyOf(response);
      if (!body) throw new KbError("upstream_error", `${what} sent no body`);
      /** One upstream event: its text to pass on ("" for none); sets `cut` at the length bound. */
      const readEvent = (event: EventSourceMessage): string => {
        // Read on to the body's end rather than leave here: a body left unread closes the
        // connection, which the next answer would then open again.
        if (completed || event.data === "[DONE]") {
          if (!completed) drainTimer = setTimeout(() => afterDone.abort(), drainAfterDoneMs);
          completed = true;
          return "";
        }
        const chunk = ChatChunk.safeParse(parseJsonOrUndefined(event.data));
        if (!chunk.success) {
          throw new KbError("upstream_error", `${what} sent a malformed chunk`, {
            details: chunk.error.issues.slice(0, 3),
          });
        }
        if (event.event === "error" || chunk.data.error) {
          throw new KbError(
            "upstream_error",
            `${what} failed: ${chunk.data.error?.message ?? "an error event"}`,
          );
        }
        if (chunk.data.usage) {
          usage = {
            promptTokens: chunk.data.usage.prompt_tokens,
            completionTokens: chunk.data.usage.completion_tokens,
            totalTokens: chunk.data.usage.total_tokens,
          };
        }
        const choice = chunk.data.choices[0];
        const piece = choice?.delta?.content ?? "";
        const room = maxChars - streamedChars;
        if (piece !== "" && piece.length >= room) {
          finishReason = "length";
          cut = true;
          return piece.slice(0, Math.max(0, room));
        }
        streamedChars += piece.length;
        for (const fragment of toolOptions ? (choice?.delta?.tool_calls ?? []) : []) {
          const call = toolCalls.get(fragment.index) ?? { id: "", name: "", arguments: "" };
          call.id ||= fragment.id ?? "";
          call.name ||= fragment.function?.name ?? "";
          call.arguments += fragment.function?.arguments ?? "";
          // Argument text counts against the same bound as answer text.
          streamedChars += fragment.function?.arguments?.length ?? 0;
          if (streamedChars > maxChars) {
            throw new KbError(
              "upstream_error",
              `${what} sent tool arguments over the length bound`,
            );
          }
          toolCalls.set(fragment.index, call);
        }
        if (choice?.finish_reason) finishReason = toFinishReason(choice.finish_reason);
        return piece;
      };
      for await (const events of readServerSentEvents(body)) {
        deadline.pause();
        // The text of one read goes on as one piece: one hop of every consumer per read.
        let text = "";
        let readChars = 0;
        try {
          for (const event of events) {
            readChars += event.data.length;
            text += readEvent(event);
            if (cut) break;
          }
        } finally {
          // However the read ends (cut at the bound, a bad chunk after text), its text goes first.
          if (text) yield { type: "text", text };
        }
        // Leaving the loop cancels the body, which aborts the upstream request.
        if (cut) break;
        // Under load the body is left unread a while (the silence clock stopped): the tokens
        // that arrive meanwhile wait in the socket's buffers and come in one read. Not before
        // the first token, after [DONE], or after a read that may have left more behind.
        const pause = streamedChars > 0 && !completed ? (chat.readPauseMs?.() ?? 0) : 0;
        if (pause > 0 && readChars < fullReadChars)
          await sleep(pause, undefined, { signal: combined });
        deadline.restart();
      }
    } catch (error) {
      // After [DONE] the answer is whole: how its body ends is no longer the answer's concern.
      if (!completed || signal?.aborted) {
        if (!signal?.aborted && deadline.expired) throw timedOut(error);
        throw toUpstreamError(error, what, { signal });
      }
    }
    // A body cancelled by an abort can end without an error, so the loop above can finish.
    signal?.throwIfAborted();
    if (finishReason === undefined && deadline.expired) throw timedOut();
  } finally {
    deadline.dispose();
    clearTimeout(drainTimer);
  }
  if (finishReason === undefined) {
    throw new KbError("upstream_error", `${what} ended before the model finished its answer`);
  }
  if (!toolOptions) {
    yield { type: "finish", finishReason, usage };
    return;
  }
  const calls = [...toolCalls.entries()]
    .sort(([left], [right]) => left - right)
    // Some servers omit ids: the answer's tool events and the next turn still need one each.
    .map(([index, call]) => ({ ...call, id: call.id || `call_${index}` }));
  yield { type: "finish", finishReason, usage, toolCalls: calls };
}

/** Characters a streamed answer may hold per token of `max_tokens`, enforced on our side. */
const charsPerTokenBound = 8;

/** The one place upstream finish reasons are translated. */
function toFinishReason(reason: string): ChatFinishReason {
  if (reason === "length") return "length";
  if (reason === "content_filter") return "content_filter";
  return "stop";
}
