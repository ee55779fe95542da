import { describe, expect, expectTypeOf, it } from "vitest";
import {
  Frontmatter,
  type FrontmatterFields,
  frontmatterFields,
} from "../../src/ingest/frontmatter.js";
import { documentFieldColumns } from "../../src/store/index-rows.js";

describe("frontmatter fields", () => {
  it("are each stored as a document column, in the same order", () => {
    expectTypeOf<
      Exclude<keyof FrontmatterFields, keyof typeof documentFieldColumns>
    >().toEqualTypeOf<never>();
    expect(Object.keys(frontmatterFields(Frontmatter.parse({})))).toEqual(
      Object.keys(documentFieldColumns),
    );
  });

  it("read absent text as null and absent lists as empty, under their row names", () => {
    expect(
      frontmatterFields(Frontmatter.parse({ root_cause: " a bad release ", team: "x" })),
    ).toEqual({
      title: undefined,
      kind: undefined,
      services: [],
      tags: [],
      aliases: [],
      severity: null,
      owner: null,
      updated: null,
      date: null,
      impact: null,
      rootCause: "a bad release",
      resolution: null,
      runbooks: [],
    });
  });
});
