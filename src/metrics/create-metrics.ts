import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Seconds: from a few ms (extractive answers, cached retrieval) to a slow model's minutes. */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Seconds: an unchanged KB takes milliseconds, a rebuild of a large one minutes. */
const ingestBuckets = [0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900];

/** Which model endpoint a failed call went to. */
export type UpstreamEndpoint = "chat" | "embeddings" | "rerank" | "query_expansion";

/** What an ingest was started by: the server's start-up, or POST /v1/admin/ingest. */
export type IngestTrigger = "start" | "admin";

/**
 * The server's Prometheus metrics, on a registry of its own (never prom-client's global
 * one), so each app and each test counts only what it saw. Label values come from closed
 * sets (route patterns, codes, modes), never from a raw path or a question.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<"method" | "route" | "status">;
  readonly httpRequestDuration: Histogram<"method" | "route">;
  readonly retrievalDuration: Histogram;
  readonly firstTokenDuration: Histogram<"mode">;
  readonly answerDuration: Histogram<"mode">;
  readonly answerDeltas: Counter;
  readonly answerTokens: Counter<"kind">;
  readonly answers: Counter<"mode" | "finish_reason" | "coverage">;
  readonly answerErrors: Counter<"code">;
  readonly upstreamErrors: Counter<"endpoint" | "code">;
  readonly openStreams: Gauge;
  readonly ingestRuns: Counter<"trigger" | "outcome">;
  readonly ingestDuration: Histogram<"trigger" | "outcome">;
  readonly ingestDocuments: Counter<"outcome">;
  readonly toolCalls: Counter<"tool" | "outcome">;
  readonly actionDeliveries: Counter<"outcome">;
  /** Reads the answer queue when scraped. */
  observeAnswerSlots(slots: { readonly running: number; readonly waiting: number }): void;
  /** Reads the generation being served when scraped (undefined: nothing ingested yet). */
  observeIndexGeneration(read: () => Promise<number | undefined>): void;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  // Process CPU, memory, event-loop lag, handles and GC, under their usual names.
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  let slots: { readonly running: number; readonly waiting: number } | undefined;
  let readGeneration: (() => Promise<number | undefined>) | undefined;

  new Gauge({
    name: "kb_answer_queue_depth",
    help: "Answers waiting for a slot (ANSWER_QUEUE_SIZE at most)",
    registers,
    collect() {
      this.set(slots?.waiting ?? 0);
    },
  });
  new Gauge({
    name: "kb_answers_running",
    help: "Answers holding a slot (MAX_CONCURRENT_ANSWERS at most)",
    registers,
    collect() {
      this.set(slots?.running ?? 0);
    },
  });
  new Gauge({
    name: "kb_index_generation",
    help: "Generation of the index being served; 0 before the first ingest",
    registers,
    async collect() {
      this.set((await readGeneration?.().catch(() => undefined)) ?? 0);
    },
  });

  return {
    registry,
    httpRequests: new Counter({
      name: "kb_http_requests_total",
      help: "HTTP requests answered, by method, route pattern and status",
      labelNames: ["method", "route", "status"],
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: "kb_http_request_duration_seconds",
      help: "Time to the response headers (for answer streams: until the stream starts)",
      labelNames: ["method", "route"],
      buckets: latencyBuckets,
      registers,
    }),
    retrievalDuration: new Histogram({
      name: "kb_retrieval_duration_seconds",
      help: "Retrieval time of answers, from the request to the sources",
      buckets: latencyBuckets,
      registers,
    }),
    firstTokenDuration: new Histogram({
      name: "kb_answer_first_token_seconds",
      help: "Time from the request to an answer's first delta",
      labelNames: ["mode"],
      buckets: latencyBuckets,
      registers,
    }),
    answerDuration: new Histogram({
      name: "kb_answer_duration_seconds",
      help: "Time from the request to an answer's done event",
      labelNames: ["mode"],
      buckets: latencyBuckets,
      registers,
    }),
    answerDeltas: new Counter({
      name: "kb_answer_deltas_total",
      help: "Delta events sent (pieces of answer text; a model's usually one token each)",
      registers,
    }),
    answerTokens: new Counter({
      name: "kb_answer_tokens_total",
      help: "Model tokens, as the model endpoint reported them (prompt, completion)",
      labelNames: ["kind"],
      registers,
    }),
    answers: new Counter({
      name: "kb_answers_total",
      help: "Answers finished (done), by mode, finish reason and coverage",
      labelNames: ["mode", "finish_reason", "coverage"],
      registers,
    }),
    answerErrors: new Counter({
      name: "kb_answer_errors_total",
      help: "Answers that ended with an error event, by code",
      labelNames: ["code"],
      registers,
    }),
    upstreamErrors: new Counter({
      name: "kb_upstream_errors_total",
      help: "Failed calls to model endpoints (chat, embeddings, rerank, query_expansion), by code",
      labelNames: ["endpoint", "code"],
      registers,
    }),
    openStreams: new Gauge({
      name: "kb_open_answer_streams",
      help: "Answers being produced now (event streams and JSON answers)",
      registers,
    }),
    ingestRuns: new Counter({
      name: "kb_ingest_runs_total",
      help: "Ingest runs by trigger (start, admin) and outcome (succeeded, failed)",
      labelNames: ["trigger", "outcome"],
      registers,
    }),
    ingestDuration: new Histogram({
      name: "kb_ingest_duration_seconds",
      help: "Ingest run time by trigger and outcome",
      labelNames: ["trigger", "outcome"],
      buckets: ingestBuckets,
      registers,
    }),
    ingestDocuments: new Counter({
      name: "kb_ingest_documents_total",
      help: "Documents seen by ingest runs, by outcome (added, updated, removed, unchanged, failed)",
      labelNames: ["outcome"],
      registers,
    }),
    toolCalls: new Counter({
      name: "kb_tool_calls_total",
      help: "Tool calls a model made while answering, by tool and outcome (ok, or the error code given to the model)",
      labelNames: ["tool", "outcome"],
      registers,
    }),
    actionDeliveries: new Counter({
      name: "kb_action_deliveries_total",
      help: "Proposed actions POSTed to ACTION_WEBHOOK_URL, by outcome (delivered, failed), retries included",
      labelNames: ["outcome"],
      registers,
    }),
    observeAnswerSlots(observed) {
      slots = observed;
    },
    observeIndexGeneration(read) {
      readGeneration = read;
    },
  };
}
