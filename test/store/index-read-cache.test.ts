import { describe, expect, it } from "vitest";
import { createIndexReadCache } from "../../src/store/index-read-cache.js";

describe("createIndexReadCache", () => {
  it("remembers a read for its index version", () => {
    const cache = createIndexReadCache({ maxBytes: 10_000 });
    cache.scope("1:1:1").set("aliases", "runbooks/a.md", ["A"], 10);
    expect(cache.scope("1:1:1").get("aliases", "runbooks/a.md")).toEqual(["A"]);
    expect(cache.scope("1:1:1").get("writeup", "runbooks/a.md")).toBeUndefined();
  });

  it("forgets everything when the index version changes, and the old version's view keeps nothing after", () => {
    const cache = createIndexReadCache({ maxBytes: 10_000 });
    const before = cache.scope("1:1:1");
    before.set("aliases", "runbooks/a.md", ["A"], 10);
    const after = cache.scope("1:2:1");
    expect(after.get("aliases", "runbooks/a.md")).toBeUndefined();
    // A read that started before the re-ingest finishes after it: its result must not be served.
    before.set("aliases", "runbooks/a.md", ["stale"], 10);
    expect(after.get("aliases", "runbooks/a.md")).toBeUndefined();
    expect(before.get("aliases", "runbooks/a.md")).toBeUndefined();
    expect(cache.stats()).toEqual({ entries: 0, bytes: 0, version: "1:2:1" });
  });

  it("stays within its bound, dropping the least recently used first", () => {
    const cache = createIndexReadCache({ maxBytes: 1_000 });
    const scope = cache.scope("1");
    scope.set("chunks", "a", "A", 300);
    scope.set("chunks", "b", "B", 300);
    expect(scope.get("chunks", "a")).toBe("A");
    scope.set("chunks", "c", "C", 300);
    expect(scope.get("chunks", "b")).toBeUndefined();
    expect(scope.get("chunks", "a")).toBe("A");
    expect(scope.get("chunks", "c")).toBe("C");
    expect(cache.stats().bytes).toBeLessThanOrEqual(1_000);
  });

  it("keeps nothing at a bound of 0, nor a value larger than the bound", () => {
    const off = createIndexReadCache({ maxBytes: 0 });
    off.scope("1").set("counts", "", 3, 8);
    expect(off.scope("1").get("counts", "")).toBeUndefined();
    const small = createIndexReadCache({ maxBytes: 1_000 });
    small.scope("1").set("chunks", "huge", "x", 5_000);
    expect(small.stats()).toEqual({ entries: 0, bytes: 0, version: "1" });
  });
});
