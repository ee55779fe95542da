import type { IndexSnapshot } from "../store/index-snapshot.js";
import type { TriageModel } from "../triage/triage-model.js";
import { decodeTriageModel } from "../triage/triage-model-codec.js";

export interface TriageModelCache {
  /** The model stored with the snapshot's generation, decoded once per training; null without one. */
  current(snapshot: IndexSnapshot): Promise<TriageModel | null>;
}

/**
 * Decoding a model costs milliseconds to tens of them; checking that the
 * stored one is still the one decoded costs one tiny read. A re-ingest that
 * retrains (or a generation swap) is picked up at the next triage.
 */
export function createTriageModelCache(): TriageModelCache {
  let cached: { key: string; model: TriageModel | null } | undefined;
  let loading: { key: string; promise: Promise<TriageModel | null> } | undefined;
  return {
    async current(snapshot) {
      const stamp = await snapshot.triageModelStamp();
      if (stamp === undefined) return null;
      const key = `${snapshot.generation.number}\u0000${stamp}`;
      if (cached?.key === key) return cached.model;
      if (loading?.key !== key) {
        const promise = snapshot.triageModel().then((row) => {
          const model = row ? decodeTriageModel(row.model) : null;
          cached = { key, model };
          return model;
        });
        loading = { key, promise };
        promise
          .finally(() => {
            if (loading?.promise === promise) loading = undefined;
          })
          .catch(() => {});
      }
      return loading.promise;
    },
  };
}
