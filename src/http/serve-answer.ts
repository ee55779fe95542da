import type { Context } from "hono";
import type { AnswerEvent } from "../contract/answer-event.js";
import { type Logger, withFields } from "../logger.js";
import type { Metrics } from "../metrics/create-metrics.js";
import { measureAnswer } from "../metrics/measure-answer.js";
import type { AppEnv } from "./app-env.js";
import { coalesceWindowMs } from "./coalesce-window.js";
import type { AnswerSlots } from "./limits/answer-slots.js";
import { type ShutdownDrain, shuttingDownMessage } from "./shutdown-drain.js";
import { collectAnswer, writeAnswerStream } from "./write-answer-stream.js";

/** What every route that streams an answer shares: slots, the shutdown drain, metrics, the transports. */
export interface AnswerPlumbing {
  logger: Logger;
  /** Between keep-alive comments while the model is slow. Milliseconds. */
  keepAliveMs: number;
  /** Deltas within this long of a stream's last write join one event. Milliseconds. */
  coalesceDeltasMs: number;
  /** The longest that window grows to while more than 100 answers stream at once. Milliseconds. */
  coalesceMaxMs: number;
  /** Bounds the answers produced at once; the rest wait briefly or get `overloaded`. */
  slots: AnswerSlots;
  /** Shutdown: answers still open at its deadline end with a `shutting_down` error event. */
  drain: ShutdownDrain;
  metrics: Metrics;
}

/** How the route's workflow is started once a slot is held. */
export type ProduceAnswer = (options: {
  requestId: string;
  signal: AbortSignal;
  logger: Logger;
}) => AsyncGenerator<AnswerEvent>;

/**
 * An answer under the limits every answering route shares: a slot held until
 * it ends, tracked by the shutdown drain and cut at its deadline, measured,
 * its retrieval and model call aborted when the client leaves or `stop` is
 * called, and every line it logs naming the request.
 */
export async function startAnswer(
  context: Context<AppEnv>,
  plumbing: AnswerPlumbing,
  produce: ProduceAnswer,
): Promise<{ events: AsyncGenerator<AnswerEvent>; stop: () => void; logger: Logger }> {
  const clientSignal = context.req.raw.signal;
  const { deadline } = plumbing.drain;
  const releaseSlot = await plumbing.slots.acquire(AbortSignal.any([clientSignal, deadline]));
  const untrack = plumbing.drain.track();
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
  const logger = withFields(plumbing.logger, { requestId });
  const events = holdingSlot(
    measureAnswer(
      plumbing.metrics,
      endingAtDeadline(produce({ requestId, signal, logger }), deadline, requestId),
    ),
    release,
  );
  return { events, stop: () => controller.abort(), logger };
}

/**
 * Runs an answering workflow through `startAnswer` and serves it as an event
 * stream or, when `json` is asked for (or the Accept header prefers it), as
 * one JSON object.
 */
export async function serveAnswer(
  context: Context<AppEnv>,
  plumbing: AnswerPlumbing,
  produce: ProduceAnswer,
  options: { json: boolean },
): Promise<Response> {
  const { events, stop, logger } = await startAnswer(context, plumbing, produce);
  if (options.json || prefersJson(context.req.header("accept"))) {
    const { status, body } = await collectAnswer(events);
    return context.json(body, status as 200);
  }
  return writeAnswerStream(context, events, {
    keepAliveMs: plumbing.keepAliveMs,
    coalesceDeltasMs: coalesceWindowOf(plumbing),
    onClientGone: stop,
    logger,
  });
}

/** A stream's coalescing window, as wide as the answers streaming now make it. */
export function coalesceWindowOf(
  plumbing: Pick<AnswerPlumbing, "coalesceDeltasMs" | "coalesceMaxMs" | "slots">,
): () => number {
  return () =>
    coalesceWindowMs(plumbing.coalesceDeltasMs, plumbing.coalesceMaxMs, plumbing.slots.running);
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
