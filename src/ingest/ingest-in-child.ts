import { spawn } from "node:child_process";
import * as z from "zod/mini";
import { ErrorCode } from "../contract/error-code.js";
import { KbError } from "../errors.js";
import { parseJsonOrUndefined } from "../text/parse-json.js";
import type { IngestSummary } from "./run-ingest.js";

/**
 * What `ingest --json` prints last: the summary, or the error that stopped the run. The nested
 * parts (tickets, catalogue) come from this same build's CLI and are passed on as written.
 */
const ChildError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const ChildSummary = z.looseObject({
  added: z.number(),
  updated: z.number(),
  removed: z.number(),
  unchanged: z.number(),
  failed: z.number(),
  chunks: z.number(),
  embedded: z.number(),
  seconds: z.number(),
  dryRun: z.boolean(),
  rebuilt: z.boolean(),
  generation: z.number(),
  failures: z.array(z.object({ path: z.string(), reason: z.string() })),
  tickets: z.looseObject({}),
  catalogue: z.looseObject({}),
});

/**
 * The incremental ingest the server runs at start and for /v1/admin/ingest, in a child process
 * running `entry` (the compiled src/ingest-main.ts) with the server's environment: the
 * server's memory then holds what it serves, not what writing left behind (tens of MB of
 * LanceDB and parser buffers). Resolves with the summary, failures included; rejects with a
 * KbError carrying the child's own code (`index_busy`, `index_unreadable`, ...). A server
 * that exits or is signalled stops the child, which ends its run where what it wrote is
 * complete.
 */
export function createChildIngest(options: {
  entry: string;
  env: NodeJS.ProcessEnv;
}): () => Promise<IngestSummary> {
  return () =>
    new Promise<IngestSummary>((resolve, reject) => {
      const child = spawn(process.execPath, [options.entry], {
        env: options.env,
        // Its stderr repeats what the summary or the error already says; kept for a crash.
        stdio: ["ignore", "pipe", "pipe"],
      });
      // The child goes when the server goes: on its exit, and on a signal, which is passed on
      // and then, if nothing else of the server handles it (as during start-up), raised again.
      const stop = () => child.kill("SIGTERM");
      const passOn = (signal: NodeJS.Signals) => {
        child.kill(signal);
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      };
      const stopWatching = () => {
        process.off("exit", stop);
        process.off("SIGTERM", passOn);
        process.off("SIGINT", passOn);
      };
      process.once("exit", stop);
      process.once("SIGTERM", passOn);
      process.once("SIGINT", passOn);
      let output = "";
      let errorOutput = "";
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (text: string) => {
        output += text;
      });
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (text: string) => {
        errorOutput = `${errorOutput}${text}`.slice(-2000);
      });
      child.once("error", (error) => {
        stopWatching();
        reject(new KbError("internal", `could not start the ingest process: ${error.message}`));
      });
      child.once("close", (exitCode, signal) => {
        stopWatching();
        const lastLine = output.trimEnd().split("\n").at(-1) ?? "";
        const printed = parseJsonOrUndefined(lastLine);
        const summary = ChildSummary.safeParse(printed);
        const failure = ChildError.safeParse(printed);
        if (summary.success) {
          resolve(summary.data as unknown as IngestSummary);
        } else if (failure.success) {
          const { code, message } = failure.data.error;
          const known = ErrorCode.safeParse(code);
          reject(new KbError(known.success ? known.data : "internal", message));
        } else {
          const ended = signal ? `was stopped by ${signal}` : `exited with code ${exitCode}`;
          const said = errorOutput.trim();
          reject(
            new KbError(
              "internal",
              `the ingest process ${ended} without a summary${said ? `: ${said}` : ""}`,
            ),
          );
        }
      });
    });
}
