import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { coalesceWindowMs } from "../../src/http/coalesce-window.js";

describe("coalesceWindowMs: how long a stream's deltas may wait to be joined", () => {
  it.each([
    // base, max, open streams, window
    [100, 500, 1, 100],
    [100, 500, 100, 100],
    [100, 500, 200, 200],
    [100, 500, 500, 500],
    [100, 500, 1_000, 500],
    [0, 500, 1_000, 0],
    [100, 50, 1_000, 100],
  ])("base %i ms, at most %i ms, %i streams open: %i ms", (base, max, open, expected) => {
    expect(coalesceWindowMs(base, max, open)).toBe(expected);
  });

  it("grows to 500 ms by default (SSE_COALESCE_MAX_MS), and not at all when set to the base", () => {
    expect(loadConfig({}).server).toMatchObject({ coalesceDeltasMs: 100, coalesceMaxMs: 500 });
    const fixed = loadConfig({ SSE_COALESCE_MAX_MS: "100" }).server;
    expect(coalesceWindowMs(fixed.coalesceDeltasMs ?? 0, fixed.coalesceMaxMs ?? 0, 1_000)).toBe(
      100,
    );
    expect(() => loadConfig({ SSE_COALESCE_MAX_MS: "-1" })).toThrow(/SSE_COALESCE_MAX_MS/);
  });
});
