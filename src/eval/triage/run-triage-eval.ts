import type { ServiceCatalogue } from "../../catalogue/service-catalogue.js";
import type { Embedder } from "../../embed/embedder.js";
import type { PastTicket } from "../../ingest/tickets/past-ticket.js";
import type { Logger } from "../../logger.js";
import { createKbReader } from "../../store/kb-reader.js";
import type { Taxonomy } from "../../taxonomy/taxonomy.js";
import { type TriageField, triageFields } from "../../triage/triage-model.js";
import { createTriageModelCache } from "../../workflows/triage-model-cache.js";
import { triageTicket } from "../../workflows/triage-ticket.js";
import { asRequestTicket } from "../as-request-ticket.js";
import { durationPercentiles } from "../duration-percentiles.js";
import { splitHeldOut } from "../held-out-split.js";
import { withHistoryIndex } from "../with-history-index.js";
import { majorityBaseline, type Predictor, tfidfBaseline } from "./baselines.js";
import {
  accuracyByConfidence,
  confidentScores,
  type LabelOutcome,
  type LabelScores,
  labelScores,
} from "./label-metrics.js";

export interface FieldReport extends LabelScores {
  /** Test tickets with a label for this field. */
  n: number;
  confident: { share: number; accuracy: number };
  byConfidence: { from: number; share: number; accuracy: number }[];
  baselines: { majority: LabelScores; tfidf: LabelScores };
}

/** The `--json` contract of `npm run eval:triage`. */
export interface TriageEvalReport {
  n: number;
  train: number;
  seed: number;
  split: number;
  threshold: number;
  fields: Partial<Record<TriageField, FieldReport>>;
  /** Milliseconds per triage: p50 and p95. */
  triageMs: { p50: number; p95: number };
}

export interface TriageEvalOptions {
  tickets: readonly PastTicket[];
  split: number;
  seed: number;
  threshold: number;
  embedder: Embedder;
  logger: Logger;
  /** Where the temporary index goes; removed afterwards. Default the system's temp folder. */
  workDir?: string | undefined;
  /** The tickets' KB's service catalogue, as the server would triage with it; default none. */
  catalogue?: ServiceCatalogue | null | undefined;
  /** The tickets' KB's taxonomy, as the server would triage with it; default none. */
  taxonomy?: Taxonomy | null | undefined;
}

/**
 * Shuffle with the seed, ingest the first part as history into a temporary
 * index (training the offline model exactly as `npm run ingest` does), triage
 * the rest offline as `POST /v1/triage` does, and score each field the
 * tickets carry against the majority label and a plain TF-IDF classifier
 * trained on the same part.
 */
export async function runTriageEval(options: TriageEvalOptions): Promise<TriageEvalReport> {
  const { history: training, heldOut: testing } = splitHeldOut(options.tickets, options);
  return withHistoryIndex(
    {
      history: training,
      embedder: options.embedder,
      logger: options.logger,
      workDir: options.workDir,
    },
    async (index) => {
      const deps = {
        reader: createKbReader(index, { embedder: options.embedder }),
        embedder: options.embedder,
        taxonomy: () => options.taxonomy ?? null,
        catalogue: () => options.catalogue ?? null,
        models: createTriageModelCache(),
        reviewThreshold: options.threshold,
      };
      const outcomes = new Map<TriageField, LabelOutcome[]>(
        triageFields.map((field) => [field, []]),
      );
      const durations: number[] = [];
      for (const ticket of testing) {
        const started = performance.now();
        const triage = await triageTicket(deps, { ticket: asRequestTicket(ticket), topK: 5 });
        durations.push(performance.now() - started);
        for (const field of triageFields) {
          const gold = ticket[field];
          if (gold === null) continue;
          const label = triage[field];
          outcomes.get(field)?.push({
            gold,
            predicted: label?.label ?? null,
            confidence: label?.confidence ?? 0,
          });
        }
      }
      const fields: TriageEvalReport["fields"] = {};
      for (const field of triageFields) {
        const fieldOutcomes = outcomes.get(field) ?? [];
        if (fieldOutcomes.length === 0) continue;
        const baseline = (predictor: Predictor) =>
          labelScores(
            testing
              .filter((ticket) => ticket[field] !== null)
              .map((ticket) => ({
                gold: ticket[field] as string,
                predicted: predictor(ticket),
                confidence: 0,
              })),
          );
        fields[field] = {
          n: fieldOutcomes.length,
          ...labelScores(fieldOutcomes),
          confident: confidentScores(fieldOutcomes, options.threshold),
          byConfidence: accuracyByConfidence(fieldOutcomes),
          baselines: {
            majority: baseline(majorityBaseline(training, field)),
            tfidf: baseline(tfidfBaseline(training, field)),
          },
        };
      }
      return {
        n: testing.length,
        train: training.length,
        seed: options.seed,
        split: options.split,
        threshold: options.threshold,
        fields,
        triageMs: durationPercentiles(durations),
      };
    },
  );
}
