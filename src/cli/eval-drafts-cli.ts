import { statSync } from "node:fs";
import { loadConfig } from "../config.js";
import { createEmbedder } from "../embed/create-embedder.js";
import { KbError } from "../errors.js";
import { type DraftEvalReport, runDraftEval } from "../eval/drafts/run-draft-eval.js";
import { silentLogger } from "../logger.js";
import { checkSplitOptions, readEvalTickets } from "./read-eval-tickets.js";

export interface EvalDraftsCliOptions {
  tickets: string;
  mapping: string | undefined;
  kb: string;
  split: number;
  seed: number;
  json: boolean;
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The eval:drafts command. Returns the exit code: 0, 1 on a failure, 2 on bad input. */
export async function runEvalDraftsCli(options: EvalDraftsCliOptions): Promise<number> {
  const { stdout, stderr } = options;
  try {
    checkSplitOptions(options);
    if (!isDirectory(options.kb))
      throw new KbError("invalid_request", `--kb ${options.kb} is not a folder`);
    const config = loadConfig(options.env);
    const tickets = readEvalTickets(options, stderr);
    const report = await runDraftEval({
      tickets,
      kbDir: options.kb,
      split: options.split,
      seed: options.seed,
      threshold: config.server.triageReviewThreshold,
      // Offline, as the server drafts without a chat model; the embedder as configured.
      embedder: createEmbedder(config.embedding),
      tuning: config.retrieval,
      logger: silentLogger,
    });
    stdout.write(renderReport(report, options));
    if (options.json) stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  } catch (error) {
    stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof KbError && error.code === "invalid_request" ? 2 : 1;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    // Missing or unreadable: the caller names the flag.
    return false;
  }
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function renderReport(report: DraftEvalReport, options: { tickets: string; kb: string }): string {
  const lines = [
    `Drafts for ${report.n} held-out tickets of ${options.tickets} with a resolution (${report.skipped} without one skipped; history: ${report.train}; split ${report.split}, seed ${report.seed}), KB ${options.kb}, offline`,
    "",
    "audience | drafts | key action included | cites a correct source | no citation | draft p50 | draft p95",
    "-------- | ------ | ------------------ | ---------------------- | ----------- | --------- | ---------",
  ];
  for (const [audience, scores] of Object.entries(report.audiences)) {
    lines.push(
      [
        audience.padEnd(8),
        String(scores.n).padEnd(6),
        `${percent(scores.keyAction.share)} of ${scores.keyAction.n}`.padEnd(18),
        percent(scores.correctSource).padEnd(22),
        percent(scores.noCitation).padEnd(11),
        `${scores.draftMs.p50} ms`.padEnd(9),
        `${scores.draftMs.p95} ms`,
      ].join(" | "),
    );
  }
  lines.push(
    "",
    "Key action: the resolution's 3 rarest stemmed content words not in the ticket; a draft includes it with 2 of them.",
    "",
  );
  return `${lines.join("\n")}\n`;
}
