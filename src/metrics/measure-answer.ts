import type { AnswerEvent } from "../contract/answer-event.js";
import type { Coverage } from "../contract/coverage.js";
import type { ErrorCode } from "../contract/error-code.js";
import type { Metrics } from "./create-metrics.js";

/** The codes that mean the model endpoint failed, whether the answer fell back or ended. */
const upstreamCodes: ReadonlySet<string> = new Set<ErrorCode>([
  "upstream_error",
  "upstream_timeout",
  "rate_limited",
]);

/**
 * The answer's events, passed on unchanged while counted: one pass over the stream every
 * transport already reads, so answering itself knows nothing of metrics.
 */
export async function* measureAnswer(
  metrics: Metrics,
  events: AsyncGenerator<AnswerEvent>,
): AsyncGenerator<AnswerEvent> {
  let coverage: Coverage | "unknown" = "unknown";
  metrics.openStreams.inc();
  try {
    for await (const event of events) {
      if (event.type === "sources") coverage = event.coverage;
      else if (event.type === "delta") metrics.answerDeltas.inc();
      else if (event.type === "warning" && upstreamCodes.has(event.code)) {
        metrics.upstreamErrors.inc({ code: event.code });
      } else if (event.type === "done") {
        const { mode, finishReason, timings, usage } = event;
        metrics.answers.inc({ mode, finish_reason: finishReason, coverage });
        metrics.retrievalDuration.observe(timings.retrievalMs / 1000);
        if (timings.firstTokenMs !== null) {
          metrics.firstTokenDuration.observe({ mode }, timings.firstTokenMs / 1000);
        }
        metrics.answerDuration.observe({ mode }, timings.totalMs / 1000);
        if (usage) {
          metrics.answerTokens.inc({ kind: "prompt" }, usage.promptTokens);
          metrics.answerTokens.inc({ kind: "completion" }, usage.completionTokens);
        }
      } else if (event.type === "error") {
        metrics.answerErrors.inc({ code: event.code });
        if (upstreamCodes.has(event.code)) metrics.upstreamErrors.inc({ code: event.code });
      }
      yield event;
    }
  } finally {
    metrics.openStreams.dec();
  }
}
