import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { searchKb } from "../../src/retrieval/search-kb.js";
import { openTempKbIndex, type TempKbIndex } from "../helpers/temp-kb-index.js";

/** A runbook for an alert whose name's words ("latency", "high") its text barely uses. */
const gatewayRunbook = `---
title: PayCo gateway timeouts
kind: runbook
aliases: [PayCoLatencyHigh]
---

${["Symptoms", "Diagnosis", "Escalation", "Verify"]
  .map((heading) => `## ${heading}\n\nCheck the acquirer dashboard and the payments channel.`)
  .join("\n\n")}

## Remediation

1. Switch card payments to the secondary acquirer in the payments console.
2. Tell the payments channel which acquirer now takes the traffic.
`;

/** Runbooks about other things: the KB is mostly not about latency. */
const otherRunbook = (topic: string) => `---
title: ${topic}
kind: runbook
---

${["Symptoms", "Remediation", "Verify"]
  .map((heading) => `## ${heading}\n\nFollow the ${topic} checklist and record what you changed.`)
  .join("\n\n")}
`;

/** Runbooks that say "latency" and "high" in every section: more of them than the search keeps. */
const latencyRunbook = (service: string) => `---
title: ${service} latency high
kind: runbook
---

${["Symptoms", "Diagnosis", "Capacity", "Remediation", "Verify"]
  .map(
    (heading) =>
      `## ${heading}\n\nHigh latency on ${service}: p95 latency is high, latency stays high while load is high.`,
  )
  .join("\n\n")}
`;

describe("an alert quoted by the name a runbook lists as its alias", () => {
  const embedder = createFeatureHashEmbedder();
  let kb: TempKbIndex;

  beforeAll(async () => {
    const services = ["catalog", "search", "checkout", "orders", "images"];
    kb = await openTempKbIndex({
      kb: {
        files: {
          "runbooks/payco-gateway-timeouts.md": gatewayRunbook,
          ...Object.fromEntries(
            services.map((service) => [`runbooks/${service}-latency.md`, latencyRunbook(service)]),
          ),
          ...Object.fromEntries(
            Array.from({ length: 20 }, (_, index) => [
              `runbooks/other-${index}.md`,
              otherRunbook(`Topic ${index} rotation`),
            ]),
          ),
        },
      },
      embedder,
    });
  });
  afterAll(() => kb.close());

  it("reaches that runbook first, though the name's words fill the search with others", async () => {
    for (const question of ["how do I fix PayCoLatencyHigh", "PayCoLatencyHigh firing"]) {
      const sources = await searchKb({ reader: kb.reader, embedder }, { question, topK: 5 });
      expect(sources[0]?.path, question).toBe("runbooks/payco-gateway-timeouts.md");
    }
  });
});
