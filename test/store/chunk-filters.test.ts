import { describe, expect, it } from "vitest";
import { filterSql } from "../../src/store/chunk-filters.js";

describe("filterSql", () => {
  it("quotes every value, so a filter cannot inject SQL", () => {
    expect(
      filterSql({ kind: ["runbook", "x' OR '1'='1"], services: ["a"], tags: ["t1", "t2"] }),
    ).toBe(
      "kind IN ('runbook', 'x'' OR ''1''=''1') AND (array_has(services, 'a')) AND (array_has(tags, 't1') OR array_has(tags, 't2'))",
    );
    expect(filterSql({})).toBeUndefined();
    expect(filterSql(undefined)).toBeUndefined();
  });
});
