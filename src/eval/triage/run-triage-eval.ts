import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Ticket } from "../../contract/ticket.js";
import type { Embedder } from "../../embed/embedder.js";
import { runIngest } from "../../ingest/run-ingest.js";
import type { PastTicket } from "../../ingest/tickets/past-ticket.js";
import type { Logger } from "../../logger.js";
import { openKbIndex } from "../../store/kb-index.js";
import { createKbReader } from "../../store/kb-reader.js";
import { seededRandom, seededShuffle } from "../../triage/seeded-shuffle.js";
import { type TriageField, triageFields } from "../../triage/triage-model.js";
import { createTriageModelCache } from "../../workflows/triage-model-cache.js";
import { triageTicket } from "../../workflows/triage-ticket.js";
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
}

/**
 * Shuffle with the seed, ingest the first part as history into a temporary
 * index (training the offline model exactly as `npm run ingest` does), triage
 * the rest offline as `POST /v1/triage` does, and score each field the
 * tickets carry against the majority label and a plain TF-IDF classifier
 * trained on the same part.
 */
export async function runTriageEval(options: TriageEvalOptions): Promise<TriageEvalReport> {
  const shuffled = seededShuffle([...options.tickets], seededRandom(options.seed));
  const cut = Math.round(shuffled.length * options.split);
  const training = shuffled.slice(0, cut);
  const testing = shuffled.slice(cut);
  const root = await mkdtemp(join(options.workDir ?? tmpdir(), "kb-answers-eval-triage-"));
  try {
    const kbDir = join(root, "kb");
    await mkdir(join(kbDir, "tickets"), { recursive: true });
    await writeFile(join(kbDir, "tickets", "history.jsonl"), training.map(toRecordLine).join(""));
    const index = await openKbIndex(join(root, "db"));
    try {
      await runIngest({ kbDir, index, embedder: options.embedder, logger: options.logger });
      const deps = {
        reader: createKbReader(index, { embedder: options.embedder }),
        embedder: options.embedder,
        taxonomy: () => null,
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
      durations.sort((left, right) => left - right);
      const percentile = (share: number) =>
        Math.round(
          (durations[Math.min(durations.length - 1, Math.floor(durations.length * share))] ?? 0) *
            10,
        ) / 10;
      return {
        n: testing.length,
        train: training.length,
        seed: options.seed,
        split: options.split,
        threshold: options.threshold,
        fields,
        triageMs: { p50: percentile(0.5), p95: percentile(0.95) },
      };
    } finally {
      index.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** A past ticket in the JSON Lines contract format. */
function toRecordLine(ticket: PastTicket): string {
  return `${JSON.stringify({
    id: ticket.id,
    title: ticket.title,
    description: ticket.description,
    category: ticket.category,
    priority: ticket.priority,
    team: ticket.team,
    service: ticket.service,
    resolution: ticket.resolution,
    opened_at: ticket.openedAt,
    resolved_at: ticket.resolvedAt,
  })}\n`;
}

/** What a reporter's ticket holds when it reaches triage: no labels, no resolution. */
function asRequestTicket(ticket: PastTicket): Ticket {
  return {
    id: ticket.id,
    title: ticket.title.slice(0, 500),
    ...(ticket.description ? { description: ticket.description.slice(0, 20_000) } : {}),
    ...(ticket.service ? { service: ticket.service.slice(0, 200) } : {}),
  };
}
