import { setTimeout as sleep } from "node:timers/promises";
import type { IndexState, RetiredGeneration } from "../store/index-state.js";
import type { KbIndex } from "../store/kb-index.js";

/**
 * Drop the retired generations whose grace has passed (left by a run that stopped before it
 * could), and record that. Returns the state as it now stands.
 */
export async function dropExpiredGenerations(
  index: KbIndex,
  state: IndexState,
  now = Date.now(),
): Promise<IndexState> {
  const expired = state.retired.filter((entry) => Date.parse(entry.dropAfter) <= now);
  if (expired.length === 0) return state;
  for (const entry of expired) await index.dropGeneration(entry.generation);
  const next = { ...state, retired: state.retired.filter((entry) => !expired.includes(entry)) };
  await index.writeState(next);
  return next;
}

/**
 * Wait until readers have left a swapped-out generation, then drop it. A signal that fires
 * meanwhile ends the wait without dropping: the swap is done, and the next run drops it.
 */
export async function dropAfterGrace(
  index: KbIndex,
  state: IndexState,
  retired: RetiredGeneration,
  options: { signal?: AbortSignal | undefined; onWait?: (waitMs: number) => void },
): Promise<void> {
  const waitMs = Date.parse(retired.dropAfter) - Date.now();
  if (waitMs > 0) {
    options.onWait?.(waitMs);
    try {
      await sleep(waitMs, undefined, options.signal ? { signal: options.signal } : {});
    } catch {
      // Aborted: leave the generation to the next run, as recorded in the state.
      return;
    }
  }
  await dropExpiredGenerations(index, state, Date.parse(retired.dropAfter));
}
