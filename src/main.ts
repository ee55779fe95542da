import cluster from "node:cluster";
import { fileURLToPath } from "node:url";
import { superviseWorkers } from "./cluster/supervise-workers.js";
import { loadConfig } from "./config.js";
import { ingestAtStart } from "./ingest/ingest-at-start.js";
import { createChildIngest } from "./ingest/ingest-in-child.js";
import { createJsonLogger } from "./logger.js";

/**
 * Node entry point, run compiled (dist/server/main.js, built by `npm run
 * build`). With WORKERS > 1 this process only brings the index up to date (in
 * a child process) and supervises the workers: it imports nothing that serving
 * needs (LanceDB's library, the HTTP app), which would hold ~130 MiB for
 * nothing. The server itself, in one process or in each worker, is
 * serve-main.ts.
 */
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}

if (cluster.isPrimary && config.workers > 1) {
  const logger = createJsonLogger({ level: config.logLevel, secrets: config.secrets });
  if (config.ingestOnStart) {
    const ingested = await ingestAtStart({
      ingest: createChildIngest({
        entry: fileURLToPath(new URL("./ingest-main.js", import.meta.url)),
        env: process.env,
      }),
      logger,
      kbDir: config.kbDir,
      db: config.dbUri,
    });
    if (!ingested) process.exit(1);
  }
  // The workers serve, sharing the port (see src/cluster/); each runs this file again.
  process.exit(await superviseWorkers({ count: config.workers, logger }));
}
await import("./serve-main.js");
