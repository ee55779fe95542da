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

  it("reads a Rollback as acting only when the question asks to undo something", () => {
    expect(sectionRole(["Rollback"])).toBe("acting");
    expect(sectionRole(["Rollback"], { undo: true })).toBe("acting");
    expect(sectionRole(["Rollback"], { undo: false })).toBeUndefined();
    expect(sectionRole(["Execution"], { undo: false })).toBeUndefined();
    expect(sectionRole(["Remediation", "Revert the config"], { undo: false })).toBeUndefined();
    expect(sectionRole(["Remediation"], { undo: false })).toBe("acting");
  });
});
