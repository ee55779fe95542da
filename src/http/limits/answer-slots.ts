import { KbError } from "../../errors.js";

export interface AnswerSlotsOptions {
  /** Answers produced at once (each may hold a model call). */
  concurrency: number;
  /** Answers waiting for a slot; one more is refused with `overloaded`. */
  queueSize: number;
  /** Longest wait in the queue before `overloaded`. Milliseconds. */
  queueTimeoutMs: number;
}

export interface AnswerSlots {
  /** Resolves with a release function (safe to call twice) once a slot is free. */
  acquire(signal: AbortSignal): Promise<() => void>;
  readonly running: number;
  readonly waiting: number;
}

/**
 * A bounded pool with a bounded queue, so 400 clients mean at most `concurrency`
 * upstream model calls, `queueSize` waiting, and a quick 503 for the rest.
 */
export function createAnswerSlots(options: AnswerSlotsOptions): AnswerSlots {
  let running = 0;
  const queue: { grant: () => void }[] = [];
  const retryAfterSeconds = Math.max(1, Math.ceil(options.queueTimeoutMs / 1000));

  const releaser = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      // The slot passes straight to the next in line, so running stays as it is.
      if (next) next.grant();
      else running--;
    };
  };

  const overloaded = (why: string) =>
    new KbError(
      "overloaded",
      `The server is answering as many questions as it can (${why}); try again shortly.`,
      { retryAfterSeconds, safeToShow: true },
    );

  return {
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
    acquire(signal) {
      signal.throwIfAborted();
      if (running < options.concurrency) {
        running++;
        return Promise.resolve(releaser());
      }
      if (queue.length >= options.queueSize) {
        return Promise.reject(overloaded("the queue is full"));
      }
      return new Promise((resolve, reject) => {
        const entry = {
          grant: () => {
            clearTimeout(timer);
            signal.removeEventListener("abort", onAbort);
            resolve(releaser());
          },
        };
        const leave = () => {
          const position = queue.indexOf(entry);
          if (position >= 0) queue.splice(position, 1);
          signal.removeEventListener("abort", onAbort);
        };
        const onAbort = () => {
          clearTimeout(timer);
          leave();
          reject(signal.reason);
        };
        const timer = setTimeout(() => {
          leave();
          reject(overloaded(`no slot within ${options.queueTimeoutMs} ms`));
        }, options.queueTimeoutMs);
        signal.addEventListener("abort", onAbort, { once: true });
        queue.push(entry);
      });
    },
  };
}
