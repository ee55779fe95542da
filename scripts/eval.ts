import { runEvalCli } from "../src/cli/eval-cli.js";
import { parseCliArgs } from "./parse-cli-args.js";

const usage = `Usage: npm run eval -- [--kb DIR --questions FILE [--off-topic FILE]] [--db PATH] [--json] [--report-dir DIR]

Ingests DIR into a temporary index (or --db), runs every question through the
server's retrieval and through a plain BM25 baseline over whole documents, and
reports recall@1, recall@5, MRR@10 and fact coverage, overall and by category,
and the share of extractive answers quoting an expected fact. With off-topic
questions (default for kb/: test/eval/off-topic-questions.jsonl) it also asks
every alias of the KB bare and as "how do I fix …" and reports the coverage
call's confusion matrix and how often the fix is quoted first.
Without --kb/--questions it runs test/eval/kb-questions.jsonl over kb/, and
test/eval/corpus-questions.jsonl over ../shared/corpus when that exists.
A markdown report of the misses goes to DIR/eval-NAME.md (default data/).`;

const values = parseCliArgs(usage, {
  kb: { type: "string" },
  questions: { type: "string" },
  "off-topic": { type: "string" },
  db: { type: "string" },
  json: { type: "boolean", default: false },
  "report-dir": { type: "string", default: "data" },
});
process.exitCode = await runEvalCli({
  kb: values.kb,
  questions: values.questions,
  offTopic: values["off-topic"],
  db: values.db,
  json: values.json,
  reportDir: values["report-dir"],
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
