/** Which limit a streamed upstream answer passed. */
export type StreamLimit = "idle" | "total";

/**
 * Two limits on a streamed upstream answer: how long it may stay silent (before its first
 * chunk and between chunks) and how long it may take in all. A slow but steady stream
 * passes the first and is cut only by the second.
 */
export interface StreamDeadline {
  /** Aborts, with a TimeoutError, once either limit is passed. */
  readonly signal: AbortSignal;
  /** The limit that was passed, once one was. */
  readonly expired: StreamLimit | undefined;
  /** Stops the silence clock: time our own consumer holds a chunk is not the upstream's silence. */
  pause(): void;
  /** Starts the silence clock again from now. */
  restart(): void;
  /** Clears both clocks; call when the stream is over. */
  dispose(): void;
}

export function createStreamDeadline(options: { idleMs: number; totalMs: number }): StreamDeadline {
  const controller = new AbortController();
  let expired: StreamLimit | undefined;
  const expire = (limit: StreamLimit) => {
    if (expired) return;
    expired = limit;
    controller.abort(new DOMException(`The ${limit} limit passed`, "TimeoutError"));
  };
  // One idle timer that checks the clock when it fires, rather than a new timer per chunk:
  // pause() and restart() run for every token of every stream, so they only note the time.
  let paused = false;
  let lastActivity = performance.now();
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const checkIdle = () => {
    const silentMs = performance.now() - lastActivity;
    if (!paused && silentMs >= options.idleMs) {
      idleTimer = undefined;
      expire("idle");
    } else {
      idleTimer = setTimeout(checkIdle, paused ? options.idleMs : options.idleMs - silentMs);
    }
  };
  idleTimer = setTimeout(checkIdle, options.idleMs);
  const totalTimer = setTimeout(() => expire("total"), options.totalMs);
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    pause() {
      paused = true;
    },
    restart() {
      paused = false;
      lastActivity = performance.now();
    },
    dispose() {
      clearTimeout(idleTimer);
      clearTimeout(totalTimer);
    },
  };
}
