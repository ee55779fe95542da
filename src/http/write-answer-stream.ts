import type { Context } from "hono";
import type { AnswerEvent } from "../contract/answer-event.js";
import type { ErrorBody } from "../contract/error-body.js";
import type { JsonAnswer } from "../contract/json-answer.js";
import type { SourcesEvent } from "../contract/sources-event.js";
import type { WarningEvent } from "../contract/warning-event.js";
import { errorStatusByCode } from "../errors.js";
import type { Logger } from "../logger.js";

export interface AnswerStreamOptions {
  /** Between keep-alive comments on a silent stream. Milliseconds. */
  keepAliveMs: number;
  /**
   * Deltas arriving within this long of the last write are joined into one `delta` event and
   * one write; the first delta after a pause goes out at once. Milliseconds; 0 writes each delta.
   * Asked at each delta: the window may change while the answer streams.
   */
  coalesceDeltasMs: () => number;
  onClientGone: () => void;
  logger: Logger;
  /** How one event is written; default a named SSE event with its fields as JSON and an `id:`. */
  encode?: AnswerEventEncoder | undefined;
}

/** One event (its `type`, its other fields) as SSE text; `sequence` counts the events written. */
export type AnswerEventEncoder = (type: string, data: object, sequence: number) => string;

const namedEvent: AnswerEventEncoder = (type, data, sequence) =>
  `event: ${type}\ndata: ${JSON.stringify(data)}\nid: ${sequence}\n\n`;

const encoder = new TextEncoder();

/**
 * Encode the answer stream as Server-Sent Events: one named event per
 * AnswerEvent with its fields as JSON data and an `id:` in sequence, comment
 * lines while idle so that proxies keep the connection, and headers that stop
 * caches and proxy buffering (nginx honours X-Accel-Buffering).
 *
 * Written straight into the response body rather than through hono's
 * streamSSE: each write is a socket write and a wake-up of the reader, so
 * under hundreds of streams the cost per token decides what a core can hold.
 * Events waiting together go out in one write, and deltas close together are
 * joined (their text concatenated is exactly the model's).
 */
export function writeAnswerStream(
  context: Context,
  events: AsyncGenerator<AnswerEvent>,
  options: AnswerStreamOptions,
): Response {
  let gone = false;
  let sequence = 0;
  /** SSE text not yet written. */
  let pending = "";
  /** Delta text not yet encoded as an event, joined from consecutive deltas. */
  let pendingDelta = "";
  let lastWriteAt = performance.now();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let sink: ReadableStreamDefaultController<Uint8Array> | undefined;

  const encode = options.encode ?? namedEvent;
  const append = (type: string, data: object) => {
    pending += encode(type, data, sequence++);
  };
  const flush = () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (pendingDelta !== "") {
      append("delta", { text: pendingDelta });
      pendingDelta = "";
    }
    if (pending === "" || gone || !sink) return;
    // The queue is not bounded by backpressure: an answer is (CHAT_MAX_TOKENS), and so is what waits.
    sink.enqueue(encoder.encode(pending));
    pending = "";
    lastWriteAt = performance.now();
  };
  const clientGone = () => {
    if (gone) return;
    gone = true;
    options.onClientGone();
  };

  const pump = async () => {
    try {
      for await (const event of events) {
        if (gone) break;
        if (event.type === "delta") {
          pendingDelta += event.text;
          const sinceWrite = performance.now() - lastWriteAt;
          const windowMs = options.coalesceDeltasMs();
          if (sinceWrite >= windowMs) flush();
          else flushTimer ??= setTimeout(flush, windowMs - sinceWrite);
        } else {
          // Joined deltas keep their place: before the event that followed them.
          if (pendingDelta !== "") {
            append("delta", { text: pendingDelta });
            pendingDelta = "";
          }
          const { type, ...data } = event;
          append(type, data);
          flush();
        }
      }
      flush();
    } catch (error) {
      // answerQuestion reports its own failures as events, so this is a bug.
      options.logger.error("answer stream failed", { error });
    } finally {
      clearTimeout(flushTimer);
      clearInterval(keepAlive);
      // Stops the generator (and with it any upstream request) if we left the loop early.
      await events.return(undefined);
      if (!gone) sink?.close();
    }
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      sink = controller;
      keepAlive = setInterval(() => {
        if (performance.now() - lastWriteAt < options.keepAliveMs / 2) return;
        pending += ": keep-alive\n\n";
        flush();
      }, options.keepAliveMs);
      void pump();
    },
    // The client left (the server cancels the body when the connection closes).
    cancel: clientGone,
  });
  context.req.raw.signal.addEventListener("abort", clientGone, { once: true });
  return context.body(body, 200, {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache, no-transform",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
}

/** The same answer as one JSON object, for clients that ask for application/json or send stream: false. */
export async function collectAnswer(events: AsyncGenerator<AnswerEvent>): Promise<{
  status: number;
  body: JsonAnswer | ErrorBody;
}> {
  let answer = "";
  let sources: Omit<SourcesEvent, "type"> | undefined;
  const warnings: Omit<WarningEvent, "type">[] = [];
  const toolCalls: NonNullable<JsonAnswer["toolCalls"]> = [];
  const toolResults: NonNullable<JsonAnswer["toolResults"]> = [];
  const proposedActions: NonNullable<JsonAnswer["proposedActions"]> = [];
  for await (const event of events) {
    if (event.type === "tool_call") {
      const { type: _type, ...call } = event;
      toolCalls.push(call);
    } else if (event.type === "tool_result") {
      const { type: _type, ...result } = event;
      toolResults.push(result);
      // Sections a tool retrieved are citable like the first ones: one list, numbered on.
      if (sources && result.sources) {
        sources = { ...sources, sources: [...sources.sources, ...result.sources] };
      }
    } else if (event.type === "proposed_action") {
      const { type: _type, ...action } = event;
      proposedActions.push(action);
    } else if (event.type === "sources") {
      const { type: _type, ...rest } = event;
      sources = rest;
    } else if (event.type === "delta") answer += event.text;
    else if (event.type === "warning") {
      const { type: _type, ...warning } = event;
      warnings.push(warning);
    } else if (event.type === "done" && sources) {
      const { type: _type, ...done } = event;
      const tools = toolCalls.length > 0 ? { toolCalls, toolResults, proposedActions } : {};
      return { status: 200, body: { ...sources, answer, ...done, warnings, ...tools } };
    } else if (event.type === "error") {
      return {
        status: errorStatusByCode[event.code],
        body: { requestId: event.requestId, error: { code: event.code, message: event.message } },
      };
    }
  }
  return {
    status: 500,
    body: { error: { code: "internal", message: "The answer ended unexpectedly." } },
  };
}
