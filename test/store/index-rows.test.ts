import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ChunkRow, DocumentRow } from "../../src/store/index-rows.js";
import { openKbIndex } from "../../src/store/kb-index.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const generation = { number: 1, embedderId: "test", dimensions: 3, createdAt: "2026-01-01" };

const chunk: ChunkRow = {
  id: "c1",
  docPath: "incidents/outage.md",
  chunkIndex: 0,
  headingPath: ["Checkout outage", "Resolution"],
  title: "Checkout outage",
  kind: "incident",
  services: ["checkout-api"],
  tags: [],
  severity: "sev1",
  updated: null,
  text: "Rolled back.",
  searchText: "Checkout outage\nRolled back.",
  textHash: "h1",
  vector: Float32Array.from([0.5, 0.25, -1]),
};

const document: DocumentRow = {
  path: "incidents/outage.md",
  contentHash: "abc",
  chunkerVersion: 3,
  title: "Checkout outage",
  kind: "incident",
  services: ["checkout-api"],
  tags: [],
  aliases: ["Checkout down"],
  severity: "sev1",
  owner: null,
  updated: null,
  date: "2026-01-05",
  impact: "503s for 20 minutes",
  rootCause: "A release removed the readiness endpoint",
  resolution: "Rolled back",
  runbooks: ["runbooks/rollback.md"],
  extra: '{"team":"payments"}',
  chunkCount: 1,
  ingestedAt: "2026-01-06T00:00:00.000Z",
};

describe("stored rows", () => {
  it("read back exactly as written: nulls, empty lists and vectors included", async () => {
    const index = await openKbIndex(join(await makeTempDir(), "db"));
    try {
      await index.writeDocuments(generation, [chunk], [document], { knownAbsent: true });
      expect(await index.readDocuments(generation, [document.path])).toEqual({
        chunks: [chunk],
        documents: [document],
      });
      expect(await index.readManifest(generation)).toEqual(
        new Map([
          [
            document.path,
            { path: document.path, contentHash: "abc", chunkerVersion: 3, chunkCount: 1 },
          ],
        ]),
      );
      expect(await index.vectorsByTextHash(generation, ["h1", "missing"])).toEqual(
        new Map([["h1", chunk.vector]]),
      );
    } finally {
      index.close();
    }
  });

  it("refuses a vector of the wrong size", async () => {
    const index = await openKbIndex(join(await makeTempDir(), "db"));
    try {
      await expect(
        index.writeDocuments(
          generation,
          [chunk, { ...chunk, id: "c2", vector: Float32Array.from([1, 2]) }],
          [document],
          { knownAbsent: true },
        ),
      ).rejects.toThrow("vector of row 1 has 2 values, expected 3");
    } finally {
      index.close();
    }
  });
});
