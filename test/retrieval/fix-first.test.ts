import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExtractiveAnswer } from "../../src/answer/extractive-answer.js";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { type SearchDeps, searchKb } from "../../src/retrieval/search-kb.js";
import { openTempKbIndex, type TempKbIndex } from "../helpers/temp-kb-index.js";

const filler = (topic: string) =>
  Array.from(
    { length: 12 },
    (_, index) =>
      `${index + 1}. Step ${index + 1} for ${topic}: follow the owning team's notes and record what you changed.`,
  ).join("\n");

/** A runbook whose alert name is in every chunk's search text, Symptoms short and Remediation long. */
const crashRunbook = `---
title: Pods crash looping
kind: runbook
aliases: [KubePodCrashLooping, "exit code 137"]
---

## Symptoms

- \`KubePodCrashLooping\` fires.

## Remediation

### If OOMKilled

1. Raise the memory limit: \`kubectl set resources deploy/app --limits=memory=2Gi\`.

### If the app exits by itself

1. Read the previous logs: \`kubectl logs --previous deploy/app\`.

### Everything else

${filler("pods")}

## Verify

- \`KubePodCrashLooping\` resolves and restarts stay flat.
`;

/** Another runbook whose steps say "fix" and "pod" a lot. */
const otherRunbook = `---
title: Message bridge backlog
kind: runbook
aliases: [BridgeBacklogHigh]
---

## Remediation

1. Fix the upstream first; the bridge pod crash loops on a poison message, so fix that message and restart the pod.
2. Fix the consumer lag by scaling the pod count.
`;

const incident = `---
title: Checkout pods crash looping after a release
kind: incident
date: 2026-03-01
---

## Summary

KubePodCrashLooping fired for checkout after a release.

## Resolution

We fixed it by rolling back the release, a quick fix.
`;

describe("fix first", () => {
  const embedder = createFeatureHashEmbedder();
  let kb: TempKbIndex;
  let deps: SearchDeps;

  beforeAll(async () => {
    kb = await openTempKbIndex({
      kb: {
        files: {
          "runbooks/crash-loop.md": crashRunbook,
          "runbooks/bridge-backlog.md": otherRunbook,
          "incidents/2026-03-01-checkout-crash-loop.md": incident,
        },
      },
      embedder,
    });
    deps = { reader: kb.reader, embedder };
  });
  afterAll(() => kb.close());

  const ask = async (question: string) => {
    const sources = await searchKb(deps, { question, topK: 5 });
    return { sources, answer: buildExtractiveAnswer(question, sources) };
  };

  it("quotes the named runbook's Remediation first for its bare alert name", async () => {
    const question = "KubePodCrashLooping";
    const { sources, answer } = await ask(question);
    const lead = sources.find((source) =>
      answer.text.startsWith(`From **${source.title} › ${source.headingPath.join(" › ")}**`),
    );
    expect(lead?.path).toBe("runbooks/crash-loop.md");
    expect(lead?.headingPath[0]).toBe("Remediation");
  });

  it("lets the branch naming the pasted error lead its section", async () => {
    const { sources } = await ask("OOMKilled exit code 137");
    const first = sources.find((source) => source.path === "runbooks/crash-loop.md");
    expect(first?.headingPath).toEqual(["Remediation", "If OOMKilled"]);
  });

  it("still answers a question about symptoms from Symptoms", async () => {
    const { sources } = await ask("what are the symptoms of KubePodCrashLooping?");
    expect(sources[0]?.headingPath).toEqual(["Symptoms"]);
  });
});
