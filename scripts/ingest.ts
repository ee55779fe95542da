import { runIngestCli } from "../src/cli/ingest-cli.js";
import { parseCliArgs } from "./parse-cli-args.js";

const usage = `Usage: npm run ingest -- [options]

Reads markdown runbooks and incident writeups, splits them along their headings,
embeds the pieces and stores them in LanceDB, with the past tickets exported
under tickets/ (.jsonl, .csv). Only what changed is redone.

Options:
  --kb DIR       Knowledge-base folder (default: $KB_DIR or kb)
  --db PATH      LanceDB URI: a directory, s3://, gs://, az:// or db:// (default: $KB_DB or data/lancedb)
  --json         Print the summary as one JSON object on the last line of stdout
  --force        Rebuild every document into a fresh index; the old one serves until the swap,
                 and is dropped once servers have moved on (the next run drops it if this one stops)
  --allow-empty  Let a KB folder with no markdown files empty the index (refused otherwise)
  --dry-run      Show what would change; write nothing, embed nothing
  --watch        Keep running and re-ingest files as they are saved
  --optimize     Refresh search indexes and compact now, however small the change
                 (otherwise done once $OPTIMIZE_AFTER_ROWS rows are unindexed, default 200)
  -h, --help     Show this help

Exit codes: 0 every document and ticket row ingested; 1 some documents or ticket
rows failed, or the run failed;
2 bad arguments or settings; 3 another ingest holds the index's lock
(index_busy); 130 interrupted (SIGINT or SIGTERM), except
--watch, which exits 0 when stopped: a run in progress is cut where what it
wrote is complete, and its lock is released.`;

const values = parseCliArgs(usage, {
  kb: { type: "string" },
  db: { type: "string" },
  json: { type: "boolean", default: false },
  force: { type: "boolean", default: false },
  "allow-empty": { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
  watch: { type: "boolean", default: false },
  optimize: { type: "boolean", default: false },
});
process.exitCode = await runIngestCli({
  kb: values.kb,
  db: values.db,
  json: values.json,
  force: values.force,
  allowEmpty: values["allow-empty"],
  dryRun: values["dry-run"],
  watch: values.watch,
  optimize: values.optimize,
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
