import { describe, expect, it } from "vitest";
import { sectionRole } from "../../src/text/section-role.js";

describe("sectionRole", () => {
  it.each([
    [["Remediation"], "acting"],
    [["Mitigation", "Option 2"], "acting"],
    // A runbook's FAQ: "How do I" holds what to do.
    [["How do I", "Apply a quick configuration?"], "acting"],
    [["How can we drain a node"], "acting"],
    [["Symptoms"], "restating"],
    // The deepest heading that says decides: a Verify step under the Remediation restates.
    [["Remediation", "Verify"], "restating"],
    [["Background"], undefined],
  ])("reads %j as %s", (headingPath, role) => {
    expect(sectionRole(headingPath)).toBe(role);
  });
});
