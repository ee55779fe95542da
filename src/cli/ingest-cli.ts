import { watch } from "chokidar";
import { loadConfig } from "../config.js";
import { createEmbedder } from "../embed/create-embedder.js";
import { isAbortError, KbError } from "../errors.js";
import { type IngestSummary, runIngest } from "../ingest/run-ingest.js";
import { createJsonLogger } from "../logger.js";
import { openKbIndex } from "../store/kb-index.js";
import { createProgressReporter } from "./progress-reporter.js";

export interface IngestCliOptions {
  kb: string | undefined;
  db: string | undefined;
  json: boolean;
  force: boolean;
  /** Let the run empty the index when the KB folder has no markdown files. */
  allowEmpty: boolean;
  dryRun: boolean;
  watch: boolean;
  optimize: boolean;
  env: Record<string, string | undefined>;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** Exit code when another ingest holds the index's lock. */
export const exitCodeBusy = 3;

const interrupted =
  "interrupted: what was written is complete and queryable; run ingest again to finish";

/** The ingest command: assembles dependencies from settings, runs once or watches. Returns the exit code. */
export async function runIngestCli(options: IngestCliOptions): Promise<number> {
  const { stderr } = options;
  let config: ReturnType<typeof loadConfig>;
  try {
    // --db replaces KB_DB, so the object-store settings are checked against it instead.
    config = loadConfig(options.db ? { ...options.env, KB_DB: options.db } : options.env);
  } catch (error) {
    return reportFatal(error, options, 2);
  }
  const kbDir = options.kb ?? config.kbDir;
  const dbUri = config.dbUri;
  const logger = createJsonLogger({
    level: options.json ? "error" : config.logLevel,
    secrets: config.secrets,
  });
  const embedder = createEmbedder(config.embedding);
  const progress = createProgressReporter(stderr);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  let index: Awaited<ReturnType<typeof openKbIndex>> | undefined;
  try {
    index = await openKbIndex(dbUri, {
      ...config.lanceDbCloud,
      storageOptions: config.storageOptions,
    });
    const openedIndex = index;
    const ingestOnce = async (force: boolean) => {
      const summary = await runIngest({
        kbDir,
        index: openedIndex,
        embedder,
        logger,
        force,
        allowEmpty: options.allowEmpty,
        dryRun: options.dryRun,
        swapGraceMs: config.indexSwapGraceMs,
        lockLeaseMs: config.lockLeaseMs,
        signal: controller.signal,
        maxDocumentBytes: config.maxDocumentBytes,
        maxTicketFileBytes: config.maxTicketFileBytes,
        optimizeAfterRows: options.optimize ? 0 : config.optimizeAfterRows,
        vectorIndexMinRows: config.vectorIndexMinRows,
        onProgress: progress.report,
      });
      progress.finish();
      printSummary(summary, kbDir, dbUri, options);
      return summary;
    };

    const first = await ingestOnce(options.force);
    if (!options.watch)
      return first.failed > 0 || first.tickets.failed > 0 || first.catalogue.error !== null ? 1 : 0;

    await watchAndIngest(
      kbDir,
      controller.signal,
      () => stderr.write(`watching ${kbDir} for changes (Ctrl-C to stop)\n`),
      () => ingestOnce(false),
      (error) => {
        progress.finish();
        // Stopping mid-run is how a watch ends, not a failure: the signal aborted the run.
        if (controller.signal.aborted) stderr.write(`${interrupted}\n`);
        else reportFatal(error, options, 1);
      },
    );
    stderr.write("stopped watching\n");
    return 0;
  } catch (error) {
    progress.finish();
    if (isAbortError(error) || controller.signal.aborted) {
      stderr.write(`${interrupted}\n`);
      // A watch runs until it is stopped, so a stop is its normal end (a service manager's SIGTERM).
      return options.watch ? 0 : 130;
    }
    // Another writer holds the lock: a job scheduler can tell "try later" from a failure.
    const busy = error instanceof KbError && error.code === "index_busy";
    return reportFatal(error, options, busy ? exitCodeBusy : 1);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    index?.close();
  }
}

/** Re-ingest on every burst of saves, one run at a time, until the signal fires. */
async function watchAndIngest(
  kbDir: string,
  signal: AbortSignal,
  onReady: () => void,
  ingest: () => Promise<IngestSummary>,
  onError: (error: unknown) => void,
): Promise<void> {
  const watcher = watch(kbDir, { ignoreInitial: true, ignored: (path) => /(^|\/)\./.test(path) });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = ingest()
      .then(() => undefined, onError)
      .finally(() => {
        running = undefined;
        if (again && !signal.aborted) {
          again = false;
          run();
        }
      });
  };
  // Editors save in bursts (temp file, rename, chmod): wait for the burst to end.
  watcher.on("all", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  // Saves made before the initial scan finishes would be missed: announce only when ready.
  watcher.once("ready", onReady);
  // The signal may have come while the first run was finishing: no abort event will follow.
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
  clearTimeout(timer);
  await watcher.close();
  await running;
}

function printSummary(
  summary: IngestSummary,
  kbDir: string,
  dbUri: string,
  options: IngestCliOptions,
): void {
  if (options.json) {
    options.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const verb = summary.dryRun ? "Would ingest" : "Ingested";
  const lines = [
    `${verb} ${kbDir} into ${dbUri} in ${summary.seconds.toFixed(2)} s${summary.rebuilt ? " (full rebuild)" : ""}`,
    `  documents: ${summary.added} added, ${summary.updated} updated, ${summary.removed} removed, ${summary.unchanged} unchanged, ${summary.failed} failed`,
    `  chunks written: ${summary.chunks}, texts embedded: ${summary.embedded}`,
  ];
  for (const failure of summary.failures)
    lines.push(`  failed: ${failure.path}: ${failure.reason}`);
  const tickets = summary.tickets;
  if (tickets.added + tickets.updated + tickets.removed + tickets.unchanged + tickets.failed > 0) {
    lines.push(
      `  tickets: ${tickets.added} added, ${tickets.updated} updated, ${tickets.removed} removed, ${tickets.unchanged} unchanged, ${tickets.failed} failed, ${tickets.duplicates} duplicates; texts embedded: ${tickets.embedded}`,
    );
  }
  const where = (problem: { file: string; line: number | null }) =>
    problem.line === null ? problem.file : `${problem.file}:${problem.line}`;
  for (const failure of tickets.failures)
    lines.push(`  failed: ${where(failure)}: ${failure.reason}`);
  for (const warning of tickets.warnings)
    lines.push(`  duplicate: ${where(warning)}: ${warning.reason}`);
  for (const unknown of tickets.unknownLabels) {
    lines.push(
      `  unknown ${unknown.field} "${unknown.label}": ${unknown.count} ticket${unknown.count === 1 ? "" : "s"} (${unknown.ticketIds.join(", ")}${unknown.count > unknown.ticketIds.length ? ", …" : ""}) not in taxonomy ${tickets.taxonomyVersion}`,
    );
  }
  const { catalogue } = summary;
  if (catalogue.version !== null)
    lines.push(`  service catalogue ${catalogue.version}: ${catalogue.services} services`);
  if (catalogue.error !== null) lines.push(`  failed: ${catalogue.error}`);
  for (const warning of catalogue.warnings) lines.push(`  warning: ${warning}`);
  options.stdout.write(`${lines.join("\n")}\n`);
}

function reportFatal(error: unknown, options: IngestCliOptions, exitCode: number): number {
  const known = error instanceof KbError;
  const code = known ? error.code : "internal";
  const message = error instanceof Error ? error.message : String(error);
  options.stderr.write(`ingest failed (${code}): ${message}\n`);
  if (!known && error instanceof Error && error.stack) options.stderr.write(`${error.stack}\n`);
  if (options.json) options.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  return exitCode;
}
