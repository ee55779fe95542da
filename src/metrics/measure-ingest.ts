import type { IngestSummary } from "../ingest/run-ingest.js";
import type { IngestTrigger, Metrics } from "./create-metrics.js";

/** The same ingest, counted: runs and time by outcome, and documents by what happened to them. */
export function measureIngest(
  metrics: Metrics,
  trigger: IngestTrigger,
  ingest: () => Promise<IngestSummary>,
): () => Promise<IngestSummary> {
  return async () => {
    const stopTimer = metrics.ingestDuration.startTimer({ trigger });
    try {
      const summary = await ingest();
      metrics.ingestRuns.inc({ trigger, outcome: "succeeded" });
      stopTimer({ outcome: "succeeded" });
      for (const outcome of ["added", "updated", "removed", "unchanged", "failed"] as const) {
        metrics.ingestDocuments.inc({ outcome }, summary[outcome]);
      }
      return summary;
    } catch (error) {
      metrics.ingestRuns.inc({ trigger, outcome: "failed" });
      stopTimer({ outcome: "failed" });
      throw error;
    }
  };
}
