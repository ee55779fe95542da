import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { loadConfig } from "../config.js";
import { createEmbedder } from "../embed/create-embedder.js";
import { KbError } from "../errors.js";
import type { TriageEvalReport } from "../eval/triage/run-triage-eval.js";
import { runTriageEval } from "../eval/triage/run-triage-eval.js";
import type { PastTicket, TicketFileContents } from "../ingest/tickets/past-ticket.js";
import { readTicketCsv } from "../ingest/tickets/read-ticket-csv.js";
import { readTicketLines } from "../ingest/tickets/read-ticket-lines.js";
import { readTicketMappingFile } from "../ingest/tickets/read-ticket-mapping.js";
import { silentLogger } from "../logger.js";

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
    if (!(options.split > 0 && options.split < 1))
      throw new KbError(
        "invalid_request",
        `--split must be between 0 and 1 (exclusive), not ${options.split}`,
      );
    if (!Number.isInteger(options.seed))
      throw new KbError("invalid_request", `--seed must be an integer, not ${options.seed}`);
    const config = loadConfig(options.env);
    const contents = readTickets(options.tickets, options.mapping);
    if (contents.problems.length > 0) {
      const first = contents.problems[0];
      stderr.write(
        `${contents.problems.length} rows skipped; first: ${first?.line === null ? "" : `line ${first?.line}: `}${first?.reason}\n`,
      );
    }
    const tickets = dedupe(contents.tickets.map(({ ticket }) => ticket));
    const cut = Math.round(tickets.length * options.split);
    if (cut < 2 || tickets.length - cut < 1)
      throw new KbError(
        "invalid_request",
        `${options.tickets} has ${tickets.length} readable tickets: too few to split ${options.split} into history and test`,
      );
    const report = await runTriageEval({
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

/** JSON Lines in the contract format, or CSV through --mapping (default: `<name>.mapping.yaml` or `mapping.yaml` beside it). */
function readTickets(path: string, mappingPath: string | undefined): TicketFileContents {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new KbError(
      "invalid_request",
      `cannot read --tickets ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/\.csv$/i.test(path)) {
    if (mappingPath) throw new KbError("invalid_request", "--mapping applies to CSV files only");
    return readTicketLines(text);
  }
  const stem = basename(path).replace(/\.csv$/i, "");
  const candidates = mappingPath
    ? [mappingPath]
    : [`${stem}.mapping.yaml`, `${stem}.mapping.yml`, "mapping.yaml", "mapping.yml"].map((name) =>
        join(dirname(path), name),
      );
  const found = candidates.find((candidate) => {
    try {
      readFileSync(candidate);
      return true;
    } catch {
      return false;
    }
  });
  if (!found)
    throw new KbError(
      "invalid_request",
      `${path} is a CSV: give --mapping FILE (see kb/tickets/mappings/ for the format), or put ${candidates[0]} beside it`,
    );
  const mapping = readTicketMappingFile(found, found);
  if (!mapping.ok) throw new KbError("invalid_request", mapping.reason);
  const contents = readTicketCsv(text, mapping.mapping, found);
  if (
    contents.tickets.length === 0 &&
    contents.problems[0]?.line !== undefined &&
    contents.problems.length === 1
  )
    throw new KbError("invalid_request", contents.problems[0].reason);
  return contents;
}

/** A repeated id keeps its last row, as ingest does. */
function dedupe(tickets: readonly PastTicket[]): PastTicket[] {
  return [...new Map(tickets.map((ticket) => [ticket.id, ticket])).values()];
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
