import type { Context, Hono } from "hono";
import { type AnswerDeps, answerQuestion } from "../../answer/answer-question.js";
import { AskRequest } from "../../contract/ask-request.js";
import type { Logger } from "../../logger.js";
import type { AppEnv } from "../app-env.js";
import type { AnswerSlots } from "../limits/answer-slots.js";
import { parseInput, queryToAskInput, readJsonBody } from "../parse-request.js";
import { toSearchQuery } from "../to-search-query.js";
import { collectAnswer, writeAnswerStream } from "../write-answer-stream.js";

export interface AskRouteDeps extends AnswerDeps {
  logger: Logger;
  defaultTopK: number;
  /** Between keep-alive comments while the model is slow. Milliseconds. */
  keepAliveMs: number;
  /** Deltas within this long of a stream's last write join one event. Milliseconds. */
  coalesceDeltasMs: number;
  /** Bounds the answers produced at once; the rest wait briefly or get `overloaded`. */
  slots: AnswerSlots;
}

/** `POST /v1/ask`, and `GET /v1/ask` for EventSource: the answer stream, or one JSON object. */
export function registerAskRoutes(app: Hono<AppEnv>, deps: AskRouteDeps): void {
  const ask = async (context: Context<AppEnv>, input: unknown) => {
    const request = parseInput(AskRequest, input);
    const clientSignal = context.req.raw.signal;
    const release = await deps.slots.acquire(clientSignal);
    clientSignal.addEventListener("abort", release, { once: true });
    const controller = new AbortController();
    // The client leaving aborts retrieval and the upstream model call.
    const signal = AbortSignal.any([clientSignal, controller.signal]);
    const events = holdingSlot(
      answerQuestion(deps, toSearchQuery(request, deps.defaultTopK), {
        requestId: context.get("requestId"),
        signal,
      }),
      release,
    );
    if (request.stream === false || prefersJson(context.req.header("accept"))) {
      const { status, body } = await collectAnswer(events);
      return context.json(body, status as 200);
    }
    return writeAnswerStream(context, events, {
      keepAliveMs: deps.keepAliveMs,
      coalesceDeltasMs: deps.coalesceDeltasMs,
      onClientGone: () => controller.abort(),
      logger: deps.logger,
    });
  };

  app.post("/v1/ask", async (context) => ask(context, await readJsonBody(context.req.raw)));
  app.get("/v1/ask", async (context) => ask(context, queryToAskInput(new URL(context.req.url))));
}

/** Accept: application/json without text/event-stream asks for one JSON object. */
function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.includes("application/json") && !accept.includes("text/event-stream");
}

/** The answer's events, giving its slot back however the stream ends. */
async function* holdingSlot<Event>(
  events: AsyncGenerator<Event>,
  release: () => void,
): AsyncGenerator<Event> {
  try {
    yield* events;
  } finally {
    release();
  }
}
