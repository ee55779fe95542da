import { isAbsolute, relative, resolve } from "node:path";
import { readServiceCatalogueFile } from "../catalogue/read-service-catalogue.js";
import type { ServiceCatalogue } from "../catalogue/service-catalogue.js";
import { loadConfig } from "../config.js";
import { createEmbedder } from "../embed/create-embedder.js";
import { KbError } from "../errors.js";
import type { TriageEvalReport } from "../eval/triage/run-triage-eval.js";
import { runTriageEval } from "../eval/triage/run-triage-eval.js";
import { silentLogger } from "../logger.js";
import { readTaxonomyFile } from "../taxonomy/read-taxonomy.js";
import type { Taxonomy } from "../taxonomy/taxonomy.js";
import { checkSplitOptions, readEvalTickets } from "./read-eval-tickets.js";

export interface EvalTriageCliOptions {
  tickets: string;
  mapping: string | undefined;
  split: number;
  seed: number;
  json: boolean;
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The eval:triage command. Returns the exit code: 0, 1 on a failure, 2 on bad input. */
export async function runEvalTriageCli(options: EvalTriageCliOptions): Promise<number> {
  const { stdout, stderr } = options;
  try {
    checkSplitOptions(options);
    const config = loadConfig(options.env);
    const tickets = readEvalTickets(options, stderr);
    const { catalogue, taxonomy } = kbFilesOfTickets(config.kbDir, options.tickets);
    if (catalogue)
      stderr.write(
        `with the service catalogue of ${config.kbDir}: ${catalogue.services.length} services\n`,
      );
    if (taxonomy)
      stderr.write(`with the taxonomy of ${config.kbDir}: version ${taxonomy.version}\n`);
    const report = await runTriageEval({
      catalogue,
      taxonomy,
      tickets,
      split: options.split,
      seed: options.seed,
      threshold: config.server.triageReviewThreshold,
      // Offline, as the server triages without a chat model; the embedder as configured.
      embedder: createEmbedder(config.embedding),
      logger: silentLogger,
    });
    stdout.write(renderReport(report, options.tickets));
    if (options.json) stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  } catch (error) {
    stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof KbError && error.code === "invalid_request" ? 2 : 1;
  }
}

/**
 * The KB's own tickets are triaged with the KB's catalogue and taxonomy, as the server would
 * triage them; an export from elsewhere (outside KB_DIR) names other services and labels, so
 * it gets neither.
 */
function kbFilesOfTickets(
  kbDir: string,
  ticketsPath: string,
): { catalogue: ServiceCatalogue | null; taxonomy: Taxonomy | null } {
  const inside = relative(resolve(kbDir), resolve(ticketsPath));
  if (inside.startsWith("..") || isAbsolute(inside)) return { catalogue: null, taxonomy: null };
  return {
    catalogue: readServiceCatalogueFile(kbDir, null)?.catalogue ?? null,
    taxonomy: readTaxonomyFile(kbDir),
  };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function renderReport(report: TriageEvalReport, file: string): string {
  const lines = [
    `Triage of ${report.n} tickets of ${file} (history: ${report.train}; split ${report.split}, seed ${report.seed}), offline`,
    "",
    "field     | n     | accuracy | macro-F1 | confident (≥ threshold)  | majority acc / F1 | TF-IDF acc / F1",
    "--------- | ----- | -------- | -------- | ------------------------ | ----------------- | ---------------",
  ];
  for (const [field, scores] of Object.entries(report.fields)) {
    const { majority, tfidf } = scores.baselines;
    lines.push(
      [
        field.padEnd(9),
        String(scores.n).padEnd(5),
        percent(scores.accuracy).padEnd(8),
        percent(scores.macroF1).padEnd(8),
        `${percent(scores.confident.share)} at ${percent(scores.confident.accuracy)} accuracy`.padEnd(
          24,
        ),
        `${percent(majority.accuracy)} / ${percent(majority.macroF1)}`.padEnd(17),
        `${percent(tfidf.accuracy)} / ${percent(tfidf.macroF1)}`,
      ].join(" | "),
    );
  }
  lines.push(
    "",
    `Confidence threshold ${report.threshold} (TRIAGE_REVIEW_THRESHOLD). Accuracy by confidence:`,
  );
  for (const [field, scores] of Object.entries(report.fields)) {
    lines.push(
      `  ${field.padEnd(9)} ${scores.byConfidence
        .map(
          (level) =>
            `≥${level.from}: ${percent(level.share)} of tickets, ${percent(level.accuracy)} right`,
        )
        .join("; ")}`,
    );
  }
  lines.push(
    "",
    `Triage time per ticket: p50 ${report.triageMs.p50} ms, p95 ${report.triageMs.p95} ms`,
    "",
  );
  return `${lines.join("\n")}\n`;
}
