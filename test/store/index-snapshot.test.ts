import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeatureHashEmbedder } from "../../src/embed/feature-hash-embedder.js";
import { readTermRarity } from "../../src/retrieval/term-rarity.js";
import type { IndexSnapshot } from "../../src/store/index-snapshot.js";
import { fixtureKbDir } from "../helpers/start-app.js";
import { openTempKbIndex, type TempKbIndex } from "../helpers/temp-kb-index.js";

describe("IndexSnapshot reads", () => {
  const embedder = createFeatureHashEmbedder();
  let kb: TempKbIndex;
  let snapshot: IndexSnapshot;

  // One index for the whole suite: every test only reads it.
  beforeAll(async () => {
    kb = await openTempKbIndex({ kb: { dir: fixtureKbDir }, embedder });
    snapshot = await kb.reader.snapshot();
  });
  afterAll(() => kb.close());

  it("returns full-text candidates as plain rows, best first, filters pushed down", async () => {
    const hits = await snapshot.fullTextCandidates("redis pool exhausted", { limit: 5 });
    expect(hits[0]?.item).toEqual({
      id: expect.any(String),
      docPath: "runbooks/redis-pool-exhausted.md",
      chunkIndex: expect.any(Number),
      headingPath: expect.any(Array),
      title: "Redis connection pool exhausted",
      kind: "runbook",
      services: ["cart-service", "sessions-redis"],
    });
    const scores = hits.map((hit) => hit.score);
    expect([...scores].sort((left, right) => right - left)).toEqual(scores);

    const postgres = await snapshot.fullTextCandidates("redis pool exhausted", {
      limit: 5,
      filters: { tags: ["postgres"] },
    });
    expect(new Set(postgres.map((hit) => hit.item.docPath))).toEqual(
      new Set(["runbooks/postgres-pool-exhausted.md"]),
    );
    expect(await snapshot.fullTextCandidates(" ", { limit: 5 })).toEqual([]);
  });

  it("returns nearest vectors with cosine similarity, filters pushed down", async () => {
    const [vector] = await embedder.embed(["certificate expired on the CDN"]);
    const hits = await snapshot.nearestVectors(vector as Float32Array, {
      limit: 3,
      probes: 20,
      filters: { kind: ["runbook"] },
    });
    expect(hits).toHaveLength(3);
    expect(hits[0]?.item.docPath).toBe("runbooks/certificate-expiry.md");
    for (const hit of hits) {
      expect(hit.item.kind).toBe("runbook");
      expect(hit.score).toBeGreaterThan(0);
      expect(hit.score).toBeLessThanOrEqual(1);
    }
  });

  it("reads one chunk by id and every chunk of given documents", async () => {
    const [hit] = await snapshot.fullTextCandidates("readiness endpoint", { limit: 1 });
    expect(hit).toBeDefined();
    expect(await snapshot.chunkById(hit?.item.id ?? "")).toEqual(hit?.item);
    expect(await snapshot.chunkById("x' OR '1'='1")).toBeUndefined();

    const chunks = await snapshot.chunksOfDocuments(["runbooks/redis-pool-exhausted.md"]);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.docPath).toBe("runbooks/redis-pool-exhausted.md");
      expect(Array.isArray(chunk.headingPath)).toBe(true);
      expect(chunk.text).not.toBe("");
    }
    expect(await snapshot.chunksOfDocuments([])).toEqual([]);
  });

  it("reads what an incident's frontmatter says happened, why and what fixed it", async () => {
    const facts = await snapshot.writeupFactsOf([
      "incidents/2026-01-05-checkout-outage.md",
      "runbooks/nowhere.md",
    ]);
    expect([...facts.keys()]).toEqual(["incidents/2026-01-05-checkout-outage.md"]);
    expect(facts.get("incidents/2026-01-05-checkout-outage.md")).toEqual({
      date: "2026-01-05",
      impact: "Checkout returned 503s for 20 minutes",
      rootCause: "A release removed the readiness endpoint",
      resolution: "Rolled back the deployment",
    });
    expect(await snapshot.writeupFactsOf([])).toEqual(new Map());
  });

  it("weighs a word the index keeps as a stop word as common, not as one it never saw", async () => {
    const rarity = await readTermRarity(snapshot, ["down", "readiness", "sourdough"]);
    expect(rarity.unseen("down")).toBe(false);
    expect(rarity.weight("down")).toBeLessThan(rarity.weight("readiness"));
    expect(rarity.unseen("sourdough")).toBe(true);
  });

  it("counts documents and chunks", async () => {
    const counts = await snapshot.counts();
    expect(counts.documents).toBe(5);
    expect(counts.chunks).toBeGreaterThan(5);
  });
});
