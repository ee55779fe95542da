import { describe, expect, it } from "vitest";
import {
  createFeatureHashEmbedder,
  tokenizeForHashing,
} from "../../src/embed/feature-hash-embedder.js";

const cosine = (left: Float32Array, right: Float32Array) =>
  left.reduce((total, value, index) => total + value * (right[index] ?? 0), 0);

describe("feature-hash embedder", () => {
  const embedder = createFeatureHashEmbedder(256);

  it("names its model and size, and returns unit vectors of that size", async () => {
    expect(embedder.id).toBe("offline:feature-hash-v1:256");
    const [vector] = await embedder.embed(["Redis connection pool exhausted"]);
    expect(vector).toHaveLength(256);
    expect(cosine(vector as Float32Array, vector as Float32Array)).toBeCloseTo(1, 5);
  });

  it("is deterministic across calls", async () => {
    const [first] = await embedder.embed(["kubectl rollout undo"]);
    const [second] = await embedder.embed(["kubectl rollout undo"]);
    expect(Array.from(second as Float32Array)).toEqual(Array.from(first as Float32Array));
  });

  it("ranks a typo'd query closer to its topic than to an unrelated one", async () => {
    const [query, related, unrelated] = await embedder.embed([
      "certficate expird on the cdn",
      "TLS certificate expiry on the CDN: renew the certificate",
      "Kafka consumer lag on the orders topic",
    ]);
    expect(cosine(query as Float32Array, related as Float32Array)).toBeGreaterThan(
      cosine(query as Float32Array, unrelated as Float32Array) + 0.1,
    );
  });

  it("returns a zero vector for text with no words rather than NaN", async () => {
    const [vector] = await embedder.embed(["--- !!! ---"]);
    expect(Array.from(vector as Float32Array).every((value) => value === 0)).toBe(true);
  });

  it("splits camelCase alert names into their words as well", () => {
    expect(tokenizeForHashing("KubePodCrashLooping on pods")).toEqual([
      "kubepodcrashlooping",
      "kube",
      "pod",
      "crash",
      "looping",
      "on",
      "pods",
    ]);
  });
});
