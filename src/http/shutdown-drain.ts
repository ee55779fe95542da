import { KbError } from "../errors.js";

export interface ShutdownDrain {
  /** True from the start of shutdown: new requests are refused and /readyz says so. */
  readonly draining: boolean;
  /** Aborts when the grace period is over, with a `shutting_down` KbError as its reason. */
  readonly deadline: AbortSignal;
  /** Answers in flight. */
  readonly openAnswers: number;
  /** Counts an answer in flight until the returned function is called (safe to call twice). */
  track(): () => void;
  /**
   * Starts draining. Resolves once no answer is in flight: those still open after `graceMs`
   * are told to stop (`deadline`) and get `settleMs` more to send their last event.
   * Resolves with how many answers the deadline ended.
   */
  drain(options: { graceMs: number; settleMs?: number }): Promise<number>;
}

/** Words safe to show: the answer was cut, not failed, and asking again will reach a live server. */
export const shuttingDownMessage =
  "The server is restarting, so this answer was cut short. Ask again in a moment.";

/**
 * What graceful shutdown needs, as one value passed to the app (no process globals): a
 * flag the HTTP edge checks, a deadline signal the answers listen to, and a count of the
 * answers still open so the entry point knows when it may exit.
 */
export function createShutdownDrain(): ShutdownDrain {
  const deadline = new AbortController();
  let draining = false;
  let open = 0;
  let onIdle: (() => void) | undefined;

  const untracker = () => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      open--;
      if (open === 0) onIdle?.();
    };
  };

  const idle = (timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      if (open === 0) return resolve(true);
      const timer = setTimeout(() => resolve(false), timeoutMs);
      onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });

  return {
    get draining() {
      return draining;
    },
    deadline: deadline.signal,
    get openAnswers() {
      return open;
    },
    track() {
      open++;
      return untracker();
    },
    async drain({ graceMs, settleMs = 2_000 }) {
      draining = true;
      if (await idle(graceMs)) return 0;
      const ended = open;
      deadline.abort(
        new KbError("shutting_down", shuttingDownMessage, {
          retryAfterSeconds: 1,
          safeToShow: true,
        }),
      );
      // Their last event is a write away; a client that stopped reading is not waited for.
      await idle(settleMs);
      return ended;
    },
  };
}
