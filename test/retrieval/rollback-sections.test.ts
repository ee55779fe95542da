import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { actingSectionsOf } from "../../src/retrieval/acting-sections-of.js";
import { type SearchDeps, searchKb } from "../../src/retrieval/search-kb.js";
import { openTempKbIndex, type TempKbIndex } from "../helpers/temp-kb-index.js";

/** A change runbook: its steps, and how to take the change back. */
const runbook = `---
title: Gitaly token rotation
kind: runbook
---

# Gitaly token rotation

## Execution

1. Create a new Gitaly token with \`pwgen 16 1\`.
2. Set the new token in the vault and run chef on the Gitaly nodes.

## Rollback

Set the old token back in the vault and run chef again.
`;

describe("a runbook's Rollback section", () => {
  const embedder = createFeatureHashEmbedder();
  let kb: TempKbIndex;
  let deps: SearchDeps;

  beforeAll(async () => {
    kb = await openTempKbIndex({
      kb: { files: { "runbooks/gitaly-token-rotation.md": runbook } },
      embedder,
    });
    deps = { reader: kb.reader, embedder };
  });
  afterAll(() => kb.close());

  it("comes after the steps unless the question asks to undo something", async () => {
    const headingOf = async (question: string) =>
      (await searchKb(deps, { question, topK: 2 }))[0]?.headingPath.at(-1);
    expect(await headingOf("how do I rotate the gitaly token?")).toBe("Execution");
    expect(await headingOf("how do I roll back the gitaly token rotation?")).toBe("Rollback");
  });
});

/** A runbook with checks, a fix and a way back. */
const rotation = `---
title: Rotating secrets in Vault
kind: runbook
---

# Rotating secrets in Vault

## Diagnosis

List who reads the secret before a rotation.

## Remediation

1. Create the new credential at the source.
2. Write it to Vault as a new version and wait for every reader to pick it up.

## Rollback

Write the previous secret version back.
`;

describe("a runbook's fix that full-text search missed", () => {
  let kb: TempKbIndex;

  beforeAll(async () => {
    kb = await openTempKbIndex({ kb: { files: { "runbooks/rotate-secrets.md": rotation } } });
  });
  afterAll(() => kb.close());

  it("is fetched when only the checks and the Rollback were found, unless undoing is asked", async () => {
    const snapshot = await kb.reader.snapshot();
    const chunks = await snapshot.chunksOfDocuments(["runbooks/rotate-secrets.md"]);
    // As if BM25 had found the checks and the Rollback but not the long Remediation.
    const found = chunks
      .filter((chunk) => chunk.headingPath.at(-1) !== "Remediation")
      .map((chunk) => ({
        item: { ...chunk, title: "Rotating secrets in Vault", kind: "runbook", services: [] },
      }));
    const fetched = await actingSectionsOf(snapshot, found, 1, { undo: false });
    expect(fetched.map((chunk) => chunk.headingPath.at(-1))).toEqual(["Remediation"]);
    // Asked to roll back, the Rollback found is the fix.
    expect(await actingSectionsOf(snapshot, found, 1, { undo: true })).toEqual([]);
  });
});
