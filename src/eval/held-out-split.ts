import type { PastTicket } from "../ingest/tickets/past-ticket.js";
import { seededRandom, seededShuffle } from "../triage/seeded-shuffle.js";

export interface HeldOutSplit {
  /** Ingested as the desk's history. */
  history: PastTicket[];
  /** Never indexed: what the evaluation asks about. */
  heldOut: PastTicket[];
}

/** Shuffle with the seed and keep the first `split` share as history, so a seed repeats a run. */
export function splitHeldOut(
  tickets: readonly PastTicket[],
  options: { split: number; seed: number },
): HeldOutSplit {
  const shuffled = seededShuffle([...tickets], seededRandom(options.seed));
  const cut = Math.round(shuffled.length * options.split);
  return { history: shuffled.slice(0, cut), heldOut: shuffled.slice(cut) };
}
