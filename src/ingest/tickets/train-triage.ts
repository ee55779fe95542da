import type { Logger } from "../../logger.js";
import type { Generation } from "../../store/index-state.js";
import type { KbIndex } from "../../store/kb-index.js";
import { TRIAGE_MODEL_VERSION, trainTriageModel } from "../../triage/triage-model.js";
import { encodeTriageModel } from "../../triage/triage-model-codec.js";

/** The `tickets.triageModel` object of the `--json` contract. */
export interface TriageModelSummary {
  /** Whether this run trained a new model (false: the stored one still fits the tickets). */
  trained: boolean;
  /** Tickets the model was trained on (this run's count when it trained). */
  tickets: number;
  /** Labels learned per field; a field with fewer than two labels in the history is not learned. */
  labels: Partial<Record<"category" | "priority" | "team", number>>;
}

/**
 * Train the offline triage model on every ticket of the generation, when the
 * tickets changed or no model of this version is stored, and store it with
 * the index: a server that only reads has it too.
 */
export async function trainTriageIfNeeded(options: {
  index: KbIndex;
  target: Generation;
  ticketsChanged: boolean;
  dryRun: boolean;
  logger: Logger;
}): Promise<TriageModelSummary | null> {
  const { index, target } = options;
  const storedVersion = await index.triageModelVersion(target);
  const needed = options.ticketsChanged || storedVersion !== TRIAGE_MODEL_VERSION;
  if (!needed) return { trained: false, tickets: 0, labels: {} };
  const rows = await index.readTrainingTickets(target);
  if (rows.length === 0) return null;
  // A dry run says that it would train, without the cost.
  if (options.dryRun) return { trained: true, tickets: rows.length, labels: {} };
  const started = performance.now();
  const model = trainTriageModel(
    rows.map((row) => ({
      title: row.title,
      description: row.description,
      service: row.service,
      labels: { category: row.category, priority: row.priority, team: row.team },
    })),
  );
  const labels = Object.fromEntries(
    Object.entries(model.fields).map(([field, fieldModel]) => [field, fieldModel.labels.length]),
  );
  await index.writeTriageModel(target, {
    version: TRIAGE_MODEL_VERSION,
    trainedAt: new Date().toISOString(),
    model: encodeTriageModel(model),
  });
  options.logger.info("triage model trained", {
    tickets: rows.length,
    labels,
    ms: Math.round(performance.now() - started),
  });
  return { trained: true, tickets: rows.length, labels };
}
