import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { type SearchDeps, searchKb } from "../../src/retrieval/search-kb.js";
import { openTempKbIndex, type TempKbIndex } from "../helpers/temp-kb-index.js";

/** Two runbooks with the same symptom: one spells out what the question abbreviates. */
const runbooks = {
  "runbooks/kubernetes-node-disk-pressure.md": `---
title: Kubernetes node under disk pressure
kind: runbook
---

# Kubernetes node under disk pressure

## Remediation

The kubelet evicts pods when the node reports DiskPressure. Cordon the node, prune unused
images with crictl, and uncordon it once usage is below the eviction threshold.
`,
  "runbooks/build-host-disk-pressure.md": `---
title: Build host disk pressure
kind: runbook
---

# Build host disk pressure

## Remediation

Node disk pressure on a build host: the CI cache fills the disk. Clear the cache directory
and restart the runner on that node.
`,
};

describe("shorthand in a question", () => {
  const embedder = createFeatureHashEmbedder();
  let kb: TempKbIndex;
  let deps: SearchDeps;

  beforeAll(async () => {
    kb = await openTempKbIndex({ kb: { files: runbooks }, embedder });
    deps = { reader: kb.reader, embedder };
  });
  afterAll(() => kb.close());

  it("ranks first the runbook that spells out what the question abbreviates", async () => {
    const question = { question: "k8s node disk pressure, what now?", topK: 2 };
    const sources = await searchKb(deps, question);
    expect(sources[0]?.path).toBe("runbooks/kubernetes-node-disk-pressure.md");
    // Without the spelled-out search the build host's runbook, which repeats the words, leads.
    const withoutLongForms = await searchKb({ ...deps, tuning: { longFormWeight: 0 } }, question);
    expect(withoutLongForms[0]?.path).toBe("runbooks/build-host-disk-pressure.md");
  });
});
