import type { AnswerEvent } from "../contract/answer-event.js";
import type { Coverage } from "../contract/coverage.js";
import type { ErrorCode } from "../contract/error-code.js";
import type { Metrics } from "./create-metrics.js";

/** The codes that mean a model endpoint failed. */
const upstreamCodes: ReadonlySet<string> = new Set<ErrorCode>([
  "upstream_error",
  "upstream_timeout",
  "rate_limited",
]);

export function isUpstreamCode(code: string): boolean {
  return upstreamCodes.has(code);
}

/**
 * The answer's events, passed on unchanged while counted: one pass over the stream every
 * transport already reads, so answering itself knows nothing of metrics.
 */
export async function* measureAnswer(
  metrics: Metrics,
  events: AsyncGenerator<AnswerEvent>,
): AsyncGenerator<AnswerEvent> {
  let coverage: Coverage | undefined;
  metrics.openStreams.inc();
  try {
    for await (const event of events) {
      if (event.type === "sources") coverage = event.coverage;
      else if (event.type === "delta") metrics.answerDeltas.inc();
      else if (event.type === "tool_result") {
        const outcome = event.ok ? "ok" : (event.error?.code ?? "error");
        // A name the model made up is not a label value: the set of series stays closed.
        metrics.toolCalls.inc({
          tool: outcome === "unknown_tool" ? "unknown" : event.name,
          outcome,
        });
      } else if (event.type === "warning" && upstreamCodes.has(event.code)) {
        // The chat model failed before writing: the answer fell back to extracting.
        metrics.upstreamErrors.inc({ endpoint: "chat", code: event.code });
      } else if (event.type === "done") {
        const { mode, finishReason, timings, usage } = event;
        metrics.answers.inc({ mode, finish_reason: finishReason, coverage: coverage ?? "none" });
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
        // Before `sources` the failure was retrieval's, counted at its seam (countUpstreamFailures).
        if (upstreamCodes.has(event.code) && coverage !== undefined) {
          metrics.upstreamErrors.inc({ endpoint: "chat", code: event.code });
        }
      }
      yield event;
    }
  } finally {
    metrics.openStreams.dec();
  }
}
