import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
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
