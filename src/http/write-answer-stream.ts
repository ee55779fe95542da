import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { AnswerEvent } from "../contract/answer-event.js";
import type { ErrorBody } from "../contract/error-body.js";
import type { JsonAnswer } from "../contract/json-answer.js";
import type { SourcesEvent } from "../contract/sources-event.js";
import type { WarningEvent } from "../contract/warning-event.js";
import { errorStatusByCode } from "../errors.js";
import type { Logger } from "../logger.js";

/**
 * Encode the answer stream as Server-Sent Events: one named event per
 * AnswerEvent with its fields as JSON data and an `id:` in sequence, comment
 * lines while idle so that proxies keep the connection, and headers that stop
 * caches and proxy buffering (nginx honours X-Accel-Buffering).
 */
export function writeAnswerStream(
  context: Context,
  events: AsyncGenerator<AnswerEvent>,
  options: { keepAliveMs: number; onClientGone: () => void; logger: Logger },
): Response {
  context.header("Cache-Control", "no-cache, no-transform");
  context.header("X-Accel-Buffering", "no");
  return streamSSE(context, async (stream) => {
    stream.onAbort(options.onClientGone);
    const keepAlive = setInterval(() => {
      // A failed write means the client left; onAbort handles that.
      stream.write(": keep-alive\n\n").catch(() => {});
    }, options.keepAliveMs);
    let sequence = 0;
    try {
      for await (const event of events) {
        if (stream.aborted || stream.closed) break;
        const { type, ...data } = event;
        await stream.writeSSE({ event: type, data: JSON.stringify(data), id: String(sequence++) });
      }
    } catch (error) {
      // A write to a client that just left fails; that is not an error. Anything else is a bug,
      // since answerQuestion reports its own failures as events.
      if (stream.aborted || stream.closed) options.logger.debug("client left mid-write", { error });
      else options.logger.error("answer stream failed", { error });
    } finally {
      clearInterval(keepAlive);
      // Stops the generator (and with it any upstream request) if we left the loop early.
      await events.return(undefined);
    }
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
  for await (const event of events) {
    if (event.type === "sources") {
      const { type: _type, ...rest } = event;
      sources = rest;
    } else if (event.type === "delta") answer += event.text;
    else if (event.type === "warning") {
      const { type: _type, ...warning } = event;
      warnings.push(warning);
    } else if (event.type === "done" && sources) {
      const { type: _type, ...done } = event;
      return { status: 200, body: { ...sources, answer, ...done, warnings } };
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
