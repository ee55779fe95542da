import type { Context, Hono } from "hono";
import { type AnswerDeps, answerQuestion } from "../../answer/answer-question.js";
import type { AnswerEvent } from "../../contract/answer-event.js";
import { AskRequest } from "../../contract/ask-request.js";
import { type Logger, withFields } from "../../logger.js";
import type { Metrics } from "../../metrics/create-metrics.js";
import { measureAnswer } from "../../metrics/measure-answer.js";
import type { SearchQuery } from "../../retrieval/search-query.js";
import type { AppEnv } from "../app-env.js";
import type { AnswerSlots } from "../limits/answer-slots.js";
import { parseInput, queryToAskInput, readJsonBody } from "../parse-request.js";
import { type ShutdownDrain, shuttingDownMessage } from "../shutdown-drain.js";
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
  /** Shutdown: answers still open at its deadline end with a `shutting_down` error event. */
  drain: ShutdownDrain;
  metrics: Metrics;
}

/** `POST /v1/ask`, and `GET /v1/ask` for EventSource: the answer stream, or one JSON object. */
export function registerAskRoutes(app: Hono<AppEnv>, deps: AskRouteDeps): void {
  const ask = async (context: Context<AppEnv>, input: unknown) => {
    const request = parseInput(AskRequest, input);
    const { events, stop, logger } = await startAnswer(context, deps, {
      ...toSearchQuery(request, deps.defaultTopK),
      history: request.history,
    });
    if (request.stream === false || prefersJson(context.req.header("accept"))) {
      const { status, body } = await collectAnswer(events);
      return context.json(body, status as 200);
    }
    return writeAnswerStream(context, events, {
      keepAliveMs: deps.keepAliveMs,
      coalesceDeltasMs: deps.coalesceDeltasMs,
      onClientGone: stop,
      logger,
    });
  };

  app.post("/v1/ask", async (context) => ask(context, await readJsonBody(context.req.raw)));
  app.get("/v1/ask", async (context) => ask(context, queryToAskInput(new URL(context.req.url))));
}

/**
 * An answer under the limits every answering route shares: a slot held until
 * it ends, tracked by the shutdown drain and cut at its deadline, measured,
 * its retrieval and model call aborted when the client leaves or `stop` is
 * called, and every line it logs naming the request.
 */
export async function startAnswer(
  context: Context<AppEnv>,
  deps: AskRouteDeps,
  query: SearchQuery,
): Promise<{ events: AsyncGenerator<AnswerEvent>; stop: () => void; logger: Logger }> {
  const clientSignal = context.req.raw.signal;
  const { deadline } = deps.drain;
  const releaseSlot = await deps.slots.acquire(AbortSignal.any([clientSignal, deadline]));
  const untrack = deps.drain.track();
  const release = () => {
    releaseSlot();
    untrack();
  };
  clientSignal.addEventListener("abort", release, { once: true });
  const controller = new AbortController();
  // The client leaving, or the shutdown deadline, aborts retrieval and the upstream model call.
  const signal = AbortSignal.any([clientSignal, controller.signal, deadline]);
  const requestId = context.get("requestId");
  // Every line this answer logs, retrieval's and the stream writer's included, names the request.
  const logger = withFields(deps.logger, { requestId });
  const events = holdingSlot(
    measureAnswer(
      deps.metrics,
      endingAtDeadline(
        answerQuestion({ ...deps, logger }, query, { requestId, signal }),
        deadline,
        requestId,
      ),
    ),
    release,
  );
  return { events, stop: () => controller.abort(), logger };
}

/** Accept: application/json without text/event-stream asks for one JSON object. */
function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.includes("application/json") && !accept.includes("text/event-stream");
}

/**
 * The answer's events, and when the shutdown deadline stopped it before its last event, an
 * `error` (`shutting_down`) in its place: the reader learns the answer was cut, not finished.
 */
async function* endingAtDeadline(
  events: AsyncGenerator<AnswerEvent>,
  deadline: AbortSignal,
  requestId: string,
): AsyncGenerator<AnswerEvent> {
  let finished = false;
  for await (const event of events) {
    if (event.type === "done" || event.type === "error") finished = true;
    yield event;
  }
  if (!finished && deadline.aborted) {
    yield { type: "error", requestId, code: "shutting_down", message: shuttingDownMessage };
  }
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
