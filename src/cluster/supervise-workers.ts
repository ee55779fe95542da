import cluster, { type Worker } from "node:cluster";
import type { Logger } from "../logger.js";

export interface SuperviseOptions {
  /** Worker processes to keep running. */
  count: number;
  logger: Logger;
  /** Pause before replacing a worker that died. Milliseconds, default 1000. */
  restartDelayMs?: number;
}

/**
 * The cluster primary: fork `count` workers (each runs the entry point again,
 * as a worker, and listens on the shared port), replace a worker that dies
 * while serving, and on SIGTERM or SIGINT pass the signal to every worker and
 * wait for them to finish their streams. Resolves with the exit code for the
 * primary: 0 after a signal, or the code of a worker that failed before it
 * ever listened (a port in use, a bad index): replacing it would only fail again.
 */
export function superviseWorkers(options: SuperviseOptions): Promise<number> {
  const { count, logger } = options;
  const restartDelayMs = options.restartDelayMs ?? 1000;
  let stopping = false;
  let exitCode = 0;
  const listening = new WeakSet<Worker>();

  return new Promise((resolve) => {
    const stopAll = (signal: NodeJS.Signals) => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) {
        // Each worker runs its own graceful shutdown on the signal.
        if (worker && !worker.isDead()) worker.process.kill(signal);
      }
      if (Object.keys(cluster.workers ?? {}).length === 0) resolve(exitCode);
    };
    const fork = () => {
      const worker = cluster.fork();
      worker.once("listening", () => listening.add(worker));
    };

    cluster.on("exit", (worker, code, signal) => {
      const remaining = Object.keys(cluster.workers ?? {}).length;
      if (!stopping && !listening.has(worker)) {
        // A worker that never listened failed at start-up: the others would fail the same way.
        logger.error("worker failed before listening; stopping", { pid: worker.process.pid, code });
        exitCode = code || 1;
        stopAll("SIGTERM");
      } else if (!stopping) {
        logger.error("worker died; starting a replacement", {
          pid: worker.process.pid,
          code,
          signal,
        });
        setTimeout(() => {
          if (!stopping) fork();
        }, restartDelayMs).unref();
      }
      if (stopping && remaining === 0) resolve(exitCode);
    });

    process.once("SIGTERM", () => stopAll("SIGTERM"));
    process.once("SIGINT", () => stopAll("SIGINT"));
    for (let n = 0; n < count; n++) fork();
    logger.info("supervising workers", { workers: count, pid: process.pid });
  });
}
