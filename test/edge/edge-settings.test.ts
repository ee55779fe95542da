import { describe, expect, it } from "vitest";
import { readEdgeSettings } from "../../src/edge/edge-settings.js";

const origin = { ORIGIN_URL: "https://kb-origin.example.internal" };

describe("the Worker's settings", () => {
  it("reads API_KEYS as name:key pairs, and the older EDGE_API_KEY as a key named edge", () => {
    expect(
      readEdgeSettings({
        ...origin,
        API_KEYS: "portal:portal-key-0123456789",
        EDGE_API_KEY: "legacy-key-0123456789",
      }).apiKeys,
    ).toEqual([
      { name: "portal", key: "portal-key-0123456789" },
      { name: "edge", key: "legacy-key-0123456789" },
    ]);
    expect(readEdgeSettings({ ...origin, EDGE_API_KEY: " " }).apiKeys).toEqual([]);
  });

  it("names a bad API_KEYS entry without repeating its key", () => {
    expect(() => readEdgeSettings({ ...origin, API_KEYS: "portal:tiny" })).toThrow(
      /API_KEYS: entry 1 \(portal\): the key must be at least 16/,
    );
    expect(() => readEdgeSettings({ ...origin, API_KEYS: "portal:tiny" })).not.toThrow(/tiny/);
  });
});
