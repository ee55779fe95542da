import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeCoverage } from "../../src/answer/judge-coverage.js";
import type { Source } from "../../src/retrieval/source.js";
import { openTempKbIndex, type TempKbIndex } from "../helpers/temp-kb-index.js";

const etcdRunbook = `---
title: etcd members
kind: runbook
services: [control-plane]
---

# etcd members

## Meaning

Losing quorum switches etcd to read only, so the Kubernetes API turns read only as well.

## Mitigation

Restore the cluster from the last snapshot with etcdctl snapshot restore.
`;

const redisRunbook = `---
title: Redis connection pool exhausted
kind: runbook
services: [cart-service]
---

# Redis connection pool exhausted

## Remediation

Restart the cart-service pods one at a time to release leaked connections.
`;

describe("judgeCoverage over a real index", () => {
  let kb: TempKbIndex;

  // One index for the suite: every test only reads it.
  beforeAll(async () => {
    kb = await openTempKbIndex({
      kb: {
        files: {
          "runbooks/etcd-members.md": etcdRunbook,
          "runbooks/redis-pool.md": redisRunbook,
        },
      },
    });
  });
  afterAll(() => kb.close());

  /** The Mitigation alone, as retrieval might send it: the question's words are in the Meaning. */
  const mitigation: Source = {
    n: 1,
    id: "mitigation",
    path: "runbooks/etcd-members.md",
    title: "etcd members",
    headingPath: ["Mitigation"],
    kind: "runbook",
    services: ["control-plane"],
    score: 1,
    text: "Restore the cluster from the last snapshot with etcdctl snapshot restore.",
    position: 2,
  };

  it("reads retrieval's first document whole: words in a section not sent still count", async () => {
    const query = { question: "losing quorum, the kubernetes api is read only", topK: 5 };
    expect(await judgeCoverage(kb.reader, query, [mitigation])).toBe("covered");
  });

  it("still calls it weak when the question names two things the KB never mentions", async () => {
    const query = {
      question: "losing quorum on the toaster, the kubernetes api is read only in the fridge",
      topK: 5,
    };
    expect(await judgeCoverage(kb.reader, query, [mitigation])).toBe("weak");
  });
});
