import { runEvalTriageCli } from "../src/cli/eval-triage-cli.js";
import { parseCliArgs } from "./parse-cli-args.js";

const usage = `Usage: npm run eval:triage -- --tickets FILE [--mapping FILE] [--split 0.8] [--seed N] [--json]

Shuffles FILE's tickets (JSON Lines in the ticket contract format, or CSV
through a mapping) with the seed, ingests the first part as history into a
temporary index, triages the rest offline as POST /v1/triage does, and prints
per field (team, category, priority: those FILE has) accuracy, macro-F1, and
the share and accuracy of tickets at or above the confidence threshold, beside
two baselines trained on the same part: the majority label and a plain TF-IDF
linear classifier. With --json the last line is the report as one object.`;

const values = parseCliArgs(usage, {
  tickets: { type: "string" },
  mapping: { type: "string" },
  split: { type: "string", default: "0.8" },
  seed: { type: "string", default: "1" },
  json: { type: "boolean", default: false },
});
if (!values.tickets) {
  process.stderr.write(`--tickets FILE is required\n\n${usage}\n`);
  process.exit(2);
}
process.exitCode = await runEvalTriageCli({
  tickets: values.tickets,
  mapping: values.mapping,
  split: Number(values.split),
  seed: Number(values.seed),
  json: values.json,
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
