import { runIngestCli } from "./cli/ingest-cli.js";

/**
 * The server's own ingest, run compiled in a process of its own (see
 * src/ingest/ingest-in-child.ts): one incremental run of the KB folder and
 * index its environment names, reported as `npm run ingest -- --json` does,
 * with the same exit codes. The writing (LanceDB's write buffers, parsing,
 * embedding) leaves its memory behind in this process, not in the server.
 */
process.exitCode = await runIngestCli({
  kb: undefined,
  db: undefined,
  json: true,
  force: false,
  allowEmpty: false,
  dryRun: false,
  watch: false,
  optimize: false,
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
