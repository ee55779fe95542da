import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { type SearchDeps, searchKb } from "../../src/retrieval/search-kb.js";
import { defaultScoreStages } from "../../src/retrieval/stages/default-score-stages.js";
import type { ScoreStage } from "../../src/retrieval/stages/score-stage.js";
import { fixtureKbDir } from "../helpers/start-app.js";
import { openTempKbIndex, type TempKbIndex } from "../helpers/temp-kb-index.js";

describe("searchKb score stages", () => {
  const embedder = createFeatureHashEmbedder();
  let kb: TempKbIndex;
  let deps: SearchDeps;

  // One index for the whole suite: every test only reads it.
  beforeAll(async () => {
    kb = await openTempKbIndex({ kb: { dir: fixtureKbDir }, embedder });
    deps = { reader: kb.reader, embedder };
  });
  afterAll(() => kb.close());

  const query = { question: "connection pool exhausted, what do I do?", topK: 3 };
  const paths = async (stages?: readonly ScoreStage[]) =>
    (await searchKb({ ...deps, stages }, query)).map((source) => source.path);

  it("applies the default list when given none", async () => {
    expect(await paths()).toEqual(await paths(defaultScoreStages));
  });

  it("lets a stage added to the list change the order", async () => {
    const before = await paths();
    const runnerUp = before.find((path) => path !== before[0]);
    expect(runnerUp).toBeDefined();
    const preferRunnerUp: ScoreStage = (candidate) => (candidate.docPath === runnerUp ? 3 : 1);
    const after = await paths([...defaultScoreStages, preferRunnerUp]);
    expect(after[0]).toBe(runnerUp);
  });

  it("places each section at its first chunk, so a document's sections sort into reading order", async () => {
    const sources = await searchKb(deps, { question: "how do I roll back checkout", topK: 10 });
    const snapshot = await deps.reader.snapshot();
    const chunks = await snapshot.chunksOfDocuments([...new Set(sources.map((s) => s.path))]);
    for (const source of sources) {
      const at = (index: number) =>
        chunks.find((chunk) => chunk.docPath === source.path && chunk.chunkIndex === index);
      expect(at(source.position)?.headingPath).toEqual(source.headingPath);
      expect(at(source.position - 1)?.headingPath).not.toEqual(source.headingPath);
    }
    expect(new Set(sources.map((source) => source.position)).size).toBeGreaterThan(1);
  });
});
