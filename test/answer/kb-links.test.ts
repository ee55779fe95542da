import { describe, expect, it } from "vitest";
import { headingSlug, resolveKbLink, rewriteKbLinks } from "../../src/answer/kb-links.js";

describe("resolveKbLink", () => {
  it.each([
    [
      "incidents/a.md",
      "../runbooks/x.md#Remediation",
      { path: "runbooks/x.md", anchor: "remediation" },
    ],
    ["runbooks/y.md", "x.md", { path: "runbooks/x.md", anchor: "" }],
    ["runbooks/deep/y.md", "../x.md", { path: "runbooks/x.md", anchor: "" }],
    ["runbooks/y.md", "#verify", { path: "runbooks/y.md", anchor: "verify" }],
    ["runbooks/y.md", "my%20notes.md", { path: "runbooks/my notes.md", anchor: "" }],
  ])("resolves %s → %s against the citing document's folder", (fromPath, target, expected) => {
    expect(resolveKbLink(fromPath, target)).toEqual(expected);
  });

  it.each([
    "https://example.com/x.md",
    "mailto:oncall@example.com",
    "/etc/hosts",
    "../../outside.md",
  ])("leaves %s alone: it leads out of the KB", (target) => {
    expect(resolveKbLink("runbooks/y.md", target)).toBeUndefined();
  });
});

describe("headingSlug", () => {
  it.each([
    ["Remediation", "remediation"],
    ["3. Check whether a migration shipped", "3-check-whether-a-migration-shipped"],
    ["What went well / what went badly", "what-went-well--what-went-badly"],
  ])("gives %s the anchor %s", (heading, slug) => {
    expect(headingSlug(heading)).toBe(slug);
  });
});

describe("rewriteKbLinks", () => {
  const targets = new Map([["runbooks/x.md#remediation", "/v1/sections/aaaaaaaaaaaaaaaaaaaaaaaa"]]);

  it("links to the section a relative link names when the index holds it", () => {
    expect(
      rewriteKbLinks("Follow [the fix](../runbooks/x.md#remediation).", "incidents/a.md", targets),
    ).toBe("Follow [the fix](/v1/sections/aaaaaaaaaaaaaaaaaaaaaaaa).");
  });

  it("links to the KB path, resolved from the citing folder, when the index does not hold it", () => {
    expect(rewriteKbLinks('See [z](z.md#steps "Z").', "runbooks/y.md", targets)).toBe(
      'See [z](runbooks/z.md#steps "Z").',
    );
  });

  it("leaves links out of the KB and links inside code as written", () => {
    const text =
      "[docs](https://example.com) and `[x](../runbooks/x.md#remediation)`\n\n```md\n[x](x.md)\n```";
    expect(rewriteKbLinks(text, "incidents/a.md", targets)).toBe(text);
  });
});
