import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { documentsNamedByParts, namedDocuments } from "../../src/retrieval/named-documents.js";
import { type SearchDeps, searchKb } from "../../src/retrieval/search-kb.js";
import { openTempKbIndex, type TempKbIndex } from "../helpers/temp-kb-index.js";

const aliases = new Map<string, readonly string[]>([
  ["node-not-ready.md", ["KubeNodeNotReady"]],
  ["operator-not-ready.md", ["PrometheusOperatorNotReady"]],
  ["cpu-overcommit.md", ["KubeCPUOvercommit"]],
  ["cpu-quota-overcommit.md", ["KubeCPUQuotaOvercommit"]],
  ["target-down.md", ["TargetDown"]],
  ["pool.md", ["Timeout waiting for connection"]],
]);
const named = (question: string, quoted: string[] = []) => [
  ...documentsNamedByParts({ question, topK: 5 }, aliases, new Set(quoted)),
];

describe("an alias spelled out word by word", () => {
  it("names the document whose joined alias the question spells, in any form and order", () => {
    expect(named("k8s worker node has been NotReady for 20 min")).toEqual(["node-not-ready.md"]);
    expect(named("is the prometheus operator ready? it says not")).toEqual([
      "operator-not-ready.md",
    ]);
    expect(named("kubernetes nodes not ready")).toEqual(["node-not-ready.md"]);
  });

  it("reads the ticket's title and the opening of its description too", () => {
    const ticket = (description: string) => ({
      title: "Block compaction failures on prometheus-k8s-0",
      description,
    });
    const named = (description: string) => [
      ...documentsNamedByParts(
        { question: "what do I do?", ticket: ticket(description), topK: 5 },
        new Map([["compactions.md", ["PrometheusTSDBCompactionsFailing"]]]),
      ),
    ];
    expect(named("It failed to compact its TSDB blocks three times.")).toEqual(["compactions.md"]);
    // Deep in a long description, a word is as likely a log's as the reporter's.
    expect(named(`${"The disk keeps filling up. ".repeat(20)}TSDB`)).toEqual([]);
  });

  it("names only the aliases with the most words when one alias's words hold another's", () => {
    expect(named("kube cpu quota overcommit warning")).toEqual(["cpu-quota-overcommit.md"]);
    expect(named("k8s cpu overcommit warning")).toEqual(["cpu-overcommit.md"]);
  });

  it("leaves out two-word aliases, aliases with spaces, a missing word and documents quoted verbatim", () => {
    expect(named("the target is down")).toEqual([]);
    expect(named("timeout waiting for a connection")).toEqual([]);
    expect(named("node not responding")).toEqual([]);
    expect(named("KubeNodeNotReady: node not ready", ["node-not-ready.md"])).toEqual([]);
  });
});

describe("an alias quoted verbatim", () => {
  const hpaAliases = new Map([["hpa.md", ["unable to get metrics for resource cpu"]]]);
  const named = (ticket: { title?: string; description?: string; logs?: string }) => [
    ...namedDocuments({ question: "what should we do next?", ticket, topK: 5 }, hpaAliases),
  ];

  it("counts in the ticket's title, description and pasted logs", () => {
    const logLine = "13:19:02Z unable to get metrics for resource cpu: no metrics returned";
    expect(named({ title: "catalog-api latency high" })).toEqual([]);
    expect(named({ title: "catalog-api latency high", description: `Log:\n${logLine}` })).toEqual([
      "hpa.md",
    ]);
    expect(named({ logs: `${"GET /health 200\n".repeat(500)}${logLine}` })).toEqual(["hpa.md"]);
  });

  it("reads only the start of a long description", () => {
    const description = `${"Pages are slow for customers. ".repeat(200)}unable to get metrics for resource cpu`;
    expect(named({ description })).toEqual([]);
  });
});

/** Two runbooks whose alert names share "NotReady"; one title holds it as a word of its own. */
const runbooks = {
  "runbooks/operator-not-ready.md": `---
title: Prometheus Operator NotReady
kind: runbook
aliases: [PrometheusOperatorNotReady]
---

# Prometheus Operator NotReady

## Diagnosis

The operator pod has been NotReady for minutes: check the worker node it runs on, its logs
and its service account token.
`,
  "runbooks/node-not-ready.md": `---
title: Kube Node Not Ready
kind: runbook
aliases: [KubeNodeNotReady]
---

# Kube Node Not Ready

## Diagnosis

A worker is not in the Ready state. Describe it with kubectl and read the kubelet's journal;
replace the instance when the kubelet does not come back.
`,
};

describe("searching with an alias spelled out", () => {
  const embedder = createFeatureHashEmbedder();
  let kb: TempKbIndex;
  let deps: SearchDeps;

  beforeAll(async () => {
    kb = await openTempKbIndex({ kb: { files: runbooks }, embedder });
    deps = { reader: kb.reader, embedder };
  });
  afterAll(() => kb.close());

  it("ranks first the runbook whose alert the question spells out", async () => {
    const question = { question: "k8s worker node has been NotReady for 20 min", topK: 2 };
    const sources = await searchKb(deps, question);
    expect(sources[0]?.path).toBe("runbooks/node-not-ready.md");
    // Without it the title holding "NotReady" as one word leads.
    const unboosted = await searchKb({ ...deps, tuning: { namedByPartsBoost: 1 } }, question);
    expect(unboosted[0]?.path).toBe("runbooks/operator-not-ready.md");
  });
});
