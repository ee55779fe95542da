import { runEvalDraftsCli } from "../src/cli/eval-drafts-cli.js";
import { parseCliArgs } from "./parse-cli-args.js";

const usage = `Usage: npm run eval:drafts -- [--tickets FILE] [--mapping FILE] [--kb DIR] [--split 0.8] [--seed N] [--json]

Shuffles FILE's tickets (default kb/tickets/history.jsonl; JSON Lines in the
ticket contract format, or CSV through a mapping) with the seed, ingests the
first part as history together with DIR's documents (default kb/) into a
temporary index, drafts a reply offline to each held-out ticket that has a
resolution, for the reporter and the resolver, as POST /v1/draft-reply does,
and prints the share of drafts that contain the resolution's key action, that
cite a correct source and that cite nothing, and draft time p50/p95. With
--json the last line is the report as one object.`;

const values = parseCliArgs(usage, {
  tickets: { type: "string", default: "kb/tickets/history.jsonl" },
  mapping: { type: "string" },
  kb: { type: "string", default: "kb" },
  split: { type: "string", default: "0.8" },
  seed: { type: "string", default: "1" },
  json: { type: "boolean", default: false },
});
process.exitCode = await runEvalDraftsCli({
  tickets: values.tickets,
  mapping: values.mapping,
  kb: values.kb,
  split: Number(values.split),
  seed: Number(values.seed),
  json: values.json,
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
